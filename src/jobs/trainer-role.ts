/**
 * The trainer role (`kindred serve --role trainer`, or `all`): fits queued training requests (training-queue.ts), on a
 * schedule (config trainer.everyMinutes) and after enough new events (trainer.afterEvents). Every fit goes through
 * engine.train(), which holds the store's `trainer` lease, so two trainers (or a trainer and a library user) never fit
 * at once, even on different machines: the one that finds the lease held waits for its next check. It also runs the
 * retention schedule (retention-schedule.ts: expired events purged every privacy.retentionCheckMinutes).
 */
import type { KindredConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { errorMessage, isEngineError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Engine } from '../engine-types.js';
import { ARTIFACTS_CHANNEL, hasNotices, parseArtifactNotice } from '../storage/notices.js';
import type { Store } from '../storage/store.js';
import { RetentionSchedule } from './retention-schedule.js';
import { markTrainingHandled, pendingTrainings, TRAIN_REQUEST_ARTIFACT, type PendingTraining } from './training-queue.js';

export interface TrainerRoleDeps {
  engine: Engine;
  /**
   * The store connection the queue is read from; undefined when no other process can share the store (memory://),
   * so nothing can be queued for this trainer.
   */
  queue?: Store;
  config: KindredConfig;
  logger: Logger;
  clock: Clock;
}

/** Why the trainer decided to fit now (logged, and returned by `check` for tests and callers). */
export type TrainingReason = 'request' | 'schedule' | 'events';

/**
 * Whether the schedule or the event count calls for a training, from the newest stored version's creation time and
 * the event count its training recorded (meta.storedEvents): two cheap reads, no scan.
 */
async function dueReason(engine: Engine, config: KindredConfig, now: number): Promise<TrainingReason | undefined> {
  const { everyMinutes, afterEvents } = config.trainer;
  if (everyMinutes <= 0 && afterEvents <= 0) return undefined;
  const [newest] = (await engine.models()).versions;
  const { counts } = await engine.status();
  if (!newest) return counts.events > 0 ? (everyMinutes > 0 ? 'schedule' : 'events') : undefined; // nothing trained yet
  // When it was trained, not stored: an erase stores a replacement of the same training (meta.trainedAt kept).
  const trainedAt = typeof newest.meta.trainedAt === 'string' ? Date.parse(newest.meta.trainedAt) : Number.NaN;
  if (everyMinutes > 0 && now - (Number.isFinite(trainedAt) ? trainedAt : Date.parse(newest.createdAt)) >= everyMinutes * 60_000) return 'schedule';
  const before = typeof newest.meta.storedEvents === 'number' ? newest.meta.storedEvents : 0;
  if (afterEvents > 0 && counts.events - before >= afterEvents) return 'events';
  return undefined;
}

/**
 * The trainer loop: checks every config trainer.checkSeconds (and at once when a request's notice arrives on a store
 * with notices); one check at a time.
 *
 * @example const trainer = new TrainerRole({ engine, queue, config, logger, clock }); await trainer.start(); ... await trainer.close();
 */
export class TrainerRole {
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private running: Promise<TrainingReason | undefined> | undefined;
  private again = false;
  private closed = false;
  /** Purges expired events on its own timer, under the store lease `retention` when the store is shared. */
  readonly retention: RetentionSchedule;

  constructor(private readonly deps: TrainerRoleDeps) {
    this.retention = new RetentionSchedule({ engine: deps.engine, lease: deps.queue, config: deps.config, logger: deps.logger });
  }

  async start(): Promise<void> {
    const { queue, config } = this.deps;
    if (queue && hasNotices(queue)) {
      this.unlisten = await queue.listen(ARTIFACTS_CHANNEL, (payload) => {
        if (parseArtifactNotice(payload)?.name === TRAIN_REQUEST_ARTIFACT) this.kick();
      });
    }
    this.timer = setInterval(() => this.kick(), config.trainer.checkSeconds * 1000);
    this.timer.unref();
    this.kick();
    this.retention.start();
  }

  /** Runs one check now; a check already running is followed by one more. Resolves with why it trained, if it did. */
  check(): Promise<TrainingReason | undefined> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = this.checkOnce().finally(() => {
      this.running = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        this.kick();
      }
    });
    this.running = run;
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.retention.close();
    await this.unlisten?.().catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  private kick(): void {
    if (this.closed) return;
    this.check().catch((err: unknown) => {
      this.deps.logger.warn('trainer check failed', { reason: errorMessage(err), code: isEngineError(err) ? err.code : null });
    });
  }

  private async checkOnce(): Promise<TrainingReason | undefined> {
    if (this.closed) return undefined;
    const { queue, engine, config, clock } = this.deps;
    const pending = queue ? await pendingTrainings(queue) : [];
    if (pending.length > 0) {
      let trained = false;
      for (const request of pending) {
        if (this.closed || !(await this.trainRequest(queue as Store, request))) break; // the lease is held elsewhere: wait
        trained = true;
      }
      return trained ? 'request' : undefined;
    }
    const reason = await dueReason(engine, config, clock.now());
    if (reason === undefined || this.closed) return undefined;
    return (await this.fit(reason)) ? reason : undefined;
  }

  /** Fits one queued request and marks it handled; false when it must wait (the lease is held elsewhere). */
  private async trainRequest(queue: Store, request: PendingTraining): Promise<boolean> {
    this.deps.logger.info('trainer: training', { reason: 'request', jobId: request.jobId });
    try {
      const report = await this.deps.engine.train({ ...request.options, jobId: request.jobId });
      await markTrainingHandled(queue, request, { version: report.version });
      return true;
    } catch (err) {
      if (isEngineError(err) && err.code === 'CONFLICT') return this.waiting(err.details);
      // A request that cannot train (bad options for this trainer's config, no events) is not retried forever.
      this.deps.logger.warn('queued training failed', { jobId: request.jobId, code: isEngineError(err) ? err.code : 'INTERNAL', reason: errorMessage(err) });
      await markTrainingHandled(queue, request, { error: isEngineError(err) ? err.code : 'INTERNAL' });
      return true;
    }
  }

  private async fit(reason: TrainingReason): Promise<boolean> {
    this.deps.logger.info('trainer: training', { reason });
    try {
      await this.deps.engine.train();
      return true;
    } catch (err) {
      if (isEngineError(err) && err.code === 'CONFLICT') return this.waiting(err.details);
      throw err;
    }
  }

  private waiting(details: Record<string, unknown>): false {
    this.deps.logger.info('trainer: another training holds the lease; trying again at the next check', { lease: typeof details.lease === 'string' ? details.lease : null });
    return false;
  }
}
