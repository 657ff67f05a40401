import { randomUUID } from 'node:crypto';
import type { KindredConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { errorMessage, isEngineError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { SparseRow } from '../core/sparse.js';
import type { UserId } from '../core/types.js';
import type { TrainOptions, TrainReport } from '../engine-types.js';
import { queueTraining } from '../jobs/training-queue.js';
import type { ModelBundle } from '../models/model-bundle.js';
import type { Model } from '../models/model.js';
import type { Cache } from '../storage/cache.js';
import type { Store } from '../storage/store.js';
import { eraseUser, type EraseReceipt, type ErasedServing } from './erase-receipt.js';
import { trainedTimes } from './trained-times.js';

export interface EraserDeps {
  config: KindredConfig;
  store: Store;
  cache: Cache;
  logger: Logger;
  clock: Clock;
  serving: ErasedServing;
  /** This engine's id in the store's leases. */
  leaseHolder: string;
  /** The training this engine runs now, if any (it may have read an erased user's events). */
  training: () => { report: Promise<TrainReport> } | undefined;
  /** The engine's own train (one run at a time, under the trainer lease). */
  train: (opts: TrainOptions) => Promise<TrainReport>;
}

/** The engine's erase: one at a time, with the retrainings and second passes it starts in the background. */
export interface Eraser {
  erase(id: UserId): Promise<EraseReceipt>;
  /** Resolves when the background work erases started has ended (the engine awaits it on close). */
  settled(): Promise<void>;
}

/**
 * Wires privacy/erase-receipt.ts into an engine. Erases run one after another in this process (the store lease
 * `erase` is re-entrant for its holder). A version still holding the user is retrained: queued for the trainer
 * process on an API-only server, else here in the background, retrainings one after another and each after any
 * training in progress (never joining one that may have read the user's events), queued when another process holds
 * the trainer lease. An erase during a training of this engine erases again once that training is stored.
 *
 * @example const eraser = createEraser({ config, store, cache, logger, clock, serving, leaseHolder, training: () => run, train });
 */
export function createEraser(deps: EraserDeps): Eraser {
  const { config, store, logger, clock } = deps;
  const pending = new Set<Promise<void>>();
  const inBackground = (what: string, work: () => Promise<void>, details: Record<string, unknown> = {}): Promise<void> => {
    const run = work().catch((err: unknown) => logger.warn(what, { ...details, reason: errorMessage(err) }));
    pending.add(run);
    void run.finally(() => pending.delete(run));
    return run;
  };
  let retrainTurn: Promise<void> = Promise.resolve();
  async function retrain(main: Model<object>): Promise<string> {
    const request = { model: main.name, params: { ...main.params } as Record<string, unknown> };
    if (config.server.role === 'api') return (await queueTraining(store, request, clock)).jobId;
    const jobId = randomUUID();
    const turn = retrainTurn.then(async () => {
      for (let running = deps.training(); running; running = deps.training()) await running.report.catch(() => undefined);
      try {
        await deps.train({ ...request, jobId });
      } catch (err) {
        if (!isEngineError(err) || err.code !== 'CONFLICT') throw err;
        await queueTraining(store, request, clock, jobId); // a trainer elsewhere holds the lease: it fits the request
      }
    });
    retrainTurn = inBackground('retraining after an erase failed', () => turn, { jobId });
    return jobId;
  }
  const eraseDeps = {
    store, cache: deps.cache, logger, serving: deps.serving, retrain, leaseHolder: deps.leaseHolder,
    trainedTimes: (b: ModelBundle, user: UserId, row: SparseRow) => trainedTimes(store, config, b, user, row),
  };
  let eraseTurn: Promise<unknown> = Promise.resolve();
  const eraseInTurn = (id: UserId): Promise<EraseReceipt> => {
    const run = eraseTurn.then(() => eraseUser(eraseDeps, id, new Date(clock.now()).toISOString()));
    eraseTurn = run.catch(() => undefined);
    return run;
  };
  return {
    async erase(id) {
      const running = deps.training();
      const receipt = await eraseInTurn(id);
      if (running) {
        void inBackground('erase after a training failed', async () => {
          await running.report.catch(() => undefined);
          await eraseInTurn(id);
        });
      }
      return receipt;
    },
    async settled() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
