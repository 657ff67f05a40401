import { randomUUID } from 'node:crypto';
import type { KindredConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { TrainOptions, TrainReport } from '../engine-types.js';
import type { EmbeddingProvider } from '../providers/embedding.js';
import { canonicalModelName } from '../models/registry.js';
import { dropErasedHolders } from '../privacy/erase-receipt.js';
import type { Store } from '../storage/store.js';
import type { ModelServing } from './serving.js';
import { trainInWorker } from './job-threads.js';
import { sharedStoreUrl } from '../storage/shared-store-url.js';
import type { TuneRequest } from './main-model-choice.js';
import { trainBundle, type TrainJobResult } from './trainer.js';
import { takeTrainerLease } from './training-lease.js';

/** What a training run fits: the main model and its params. Two requests asking the same thing share one run. */
export interface TrainingRequest {
  model: string;
  params: Record<string, unknown>;
  /** Tune the main model and params within a budget (then `model`/`params` narrow the search when the caller set them). */
  tune?: TuneRequest;
}

export interface TrainingRunDeps {
  config: KindredConfig;
  store: Store;
  serving: ModelServing;
  logger: Logger;
  clock: Clock;
  embeddings: () => Promise<EmbeddingProvider | undefined>;
  /** The caller handed the engine its own provider object, which a worker thread cannot receive. */
  injectedEmbeddings: boolean;
  /** This engine's id in the store's trainer lease (training-lease.ts). */
  leaseHolder: string;
}

/** A training run in progress: its job id, what it fits, and its report. */
export interface RunningTraining {
  readonly jobId: string;
  readonly model: string;
  readonly report: Promise<TrainReport>;
  /** The run's report when `wanted` asks for the same training; CONFLICT naming this run's job id otherwise. */
  join(wanted: TrainingRequest): Promise<TrainReport>;
}

/** Default tuning budget, seconds (`train --tune` without `--budget`). */
export const DEFAULT_TUNE_BUDGET_SECONDS = 120;
/** The longest tuning budget accepted: a day. */
export const MAX_TUNE_BUDGET_SECONDS = 86_400;

/**
 * What a train call asks for: the named or configured model and params, or with `tune` a search (over the default
 * candidates, or only the named model's params). Bad combinations throw INVALID_INPUT naming the option.
 *
 * @example trainingRequest({ tune: true, budgetSeconds: 60 }, config) // { model: 'ease', params: {}, tune: { budgetSeconds: 60 } }
 */
export function trainingRequest(opts: TrainOptions, config: KindredConfig): TrainingRequest {
  if (opts.budgetSeconds !== undefined && !opts.tune) throw new EngineError('INVALID_INPUT', 'budgetSeconds applies only with tune', { path: 'budgetSeconds' });
  if (!opts.tune) return { model: canonicalModelName(opts.model ?? config.train.model), params: opts.params ?? config.train.params };
  const budgetSeconds = opts.budgetSeconds ?? DEFAULT_TUNE_BUDGET_SECONDS;
  if (!Number.isFinite(budgetSeconds) || budgetSeconds <= 0 || budgetSeconds > MAX_TUNE_BUDGET_SECONDS) {
    throw new EngineError('INVALID_INPUT', `budgetSeconds must be a number of seconds above 0 and at most ${MAX_TUNE_BUDGET_SECONDS}`, { path: 'budgetSeconds' });
  }
  if (opts.model === undefined && opts.params !== undefined) {
    throw new EngineError('INVALID_INPUT', 'params can be fixed while tuning only for a named model', { path: 'params' });
  }
  if (opts.model === undefined) return { model: canonicalModelName(config.train.model), params: {}, tune: { budgetSeconds } };
  const model = canonicalModelName(opts.model);
  return { model, params: opts.params ?? {}, tune: { budgetSeconds, models: [model] } };
}

/** JSON with object keys sorted, so `{a:1,b:2}` and `{b:2,a:1}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Where the fit runs: a worker thread when the store is a file another thread can open (the request thread never
 * stalls on fitting or on writing the artifact), in-thread for memory stores, for an injected embedding provider,
 * or when config train.thread is `main`.
 */
function runsInWorker(deps: TrainingRunDeps): boolean {
  return deps.config.train.thread === 'worker' && !deps.injectedEmbeddings && sharedStoreUrl(deps.config.store.url);
}

/**
 * Fits while holding the store's trainer lease, so no other process (a trainer, another library user) fits at the same
 * time; the lease is renewed during the fit and released after, and losing it stops the fit.
 */
async function fitAndServe(jobId: string, wanted: TrainingRequest, opts: TrainOptions, deps: TrainingRunDeps): Promise<TrainReport> {
  const lease = await takeTrainerLease(deps.store, deps.leaseHolder, deps.config.trainer.leaseSeconds * 1000, deps.logger);
  try {
    deps.logger.info('training started', { jobId, model: wanted.model, lease: 'trainer' });
    const signal = opts.signal ? AbortSignal.any([opts.signal, lease.lost]) : lease.lost;
    return await fitAndServeHeld(jobId, wanted, { ...opts, signal }, deps);
  } catch (err) {
    throw lease.lost.aborted ? lease.lost.reason : err; // say why the fit stopped, not just "cancelled"
  } finally {
    await lease.release();
  }
}

async function fitAndServeHeld(jobId: string, wanted: TrainingRequest, opts: TrainOptions, deps: TrainingRunDeps): Promise<TrainReport> {
  const job = { model: wanted.model, params: wanted.params, tune: wanted.tune, signal: opts.signal, onProgress: opts.onProgress, jobId };
  let result: TrainJobResult;
  if (runsInWorker(deps)) {
    result = await trainInWorker(deps.config, job);
    await deps.serving.refresh(); // loads the stored version through the same path as a poll
  } else {
    result = await deps.serving.whileTraining(async () => {
      const fitted = await trainBundle(deps.store, deps.config, job, { logger: deps.logger, clock: deps.clock, embeddings: await deps.embeddings() });
      await deps.serving.adopt(fitted.bundle);
      return fitted;
    });
  }
  await deps.serving.prune(deps.config.train.keepVersions);
  // Versions an erase left holding a user's influence until this training (privacy/erase-receipt.ts): gone now.
  const dropped = await dropErasedHolders(deps.store, result.version, [deps.serving.current?.version, await deps.serving.pinned()]);
  if (dropped.length > 0) deps.logger.info('deleted model versions that held erased users', { versions: dropped.length });
  return { jobId, model: result.model, version: result.version, seconds: result.seconds, users: result.users, items: result.items, interactions: result.interactions, ...(result.tuning ? { tuning: result.tuning } : {}) };
}

/**
 * Starts one training run with a fresh job id; a new version is served once it is stored (unless a version is
 * pinned), then old versions beyond config train.keepVersions are pruned.
 *
 * @example const run = startTraining({ model: 'ease', params: {} }, {}, deps); const report = await run.report;
 */
export function startTraining(wanted: TrainingRequest, opts: TrainOptions, deps: TrainingRunDeps): RunningTraining {
  const jobId = opts.jobId ?? randomUUID();
  const key = canonicalJson(wanted);
  const report = fitAndServe(jobId, wanted, opts, deps);
  return {
    jobId,
    model: wanted.model,
    report,
    join(other: TrainingRequest) {
      if (canonicalJson(other) === key) return report;
      return Promise.reject(new EngineError('CONFLICT', 'a different training run is in progress; retry when it ends', { jobId }));
    },
  };
}
