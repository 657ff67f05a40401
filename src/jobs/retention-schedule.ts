/**
 * The retention schedule of the trainer role: every config privacy.retentionCheckMinutes it purges expired events
 * (engine.purgeExpired). Several trainers on one store purge once per round: a round first takes the store lease
 * `retention` for the whole interval and never gives it up, so another process finds it held until the interval has
 * passed (then the holder renews it, or, if the holder is gone, another process takes over).
 */
import type { KindredConfig } from '../config/config.js';
import { errorMessage, isEngineError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Engine } from '../engine-types.js';
import type { PurgeReport } from '../privacy/retention.js';
import type { Store } from '../storage/store.js';
import { leaseHolderId } from './training-lease.js';

export const RETENTION_LEASE = 'retention';

export interface RetentionScheduleDeps {
  engine: Engine;
  /** Where the lease is taken; undefined when no other process can share the store (memory://): no lease is needed. */
  lease?: Store;
  config: KindredConfig;
  logger: Logger;
}

/**
 * @example const retention = new RetentionSchedule({ engine, lease: store, config, logger }); retention.start(); ... await retention.close();
 */
export class RetentionSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PurgeReport | undefined> | undefined;
  private closed = false;
  private readonly holder = leaseHolderId();

  constructor(private readonly deps: RetentionScheduleDeps) {}

  /** Purges now and then every privacy.retentionCheckMinutes; nothing at all when privacy.retentionDays is 0. */
  start(): void {
    const { retentionDays, retentionCheckMinutes } = this.deps.config.privacy;
    if (retentionDays <= 0) return;
    this.timer = setInterval(() => this.kick(), retentionCheckMinutes * 60_000);
    this.timer.unref();
    this.kick();
  }

  /**
   * One round: the purge's report, or undefined when another process holds the lease (it purged within the interval)
   * or retention is off. A round already running is answered by that round.
   */
  check(): Promise<PurgeReport | undefined> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private kick(): void {
    if (this.closed) return;
    this.check().catch((err: unknown) => {
      this.deps.logger.warn('retention purge failed', { reason: errorMessage(err), code: isEngineError(err) ? err.code : null });
    });
  }

  private async round(): Promise<PurgeReport | undefined> {
    const { engine, lease, config } = this.deps;
    if (this.closed || config.privacy.retentionDays <= 0) return undefined;
    const intervalMs = config.privacy.retentionCheckMinutes * 60_000;
    if (lease && !(await lease.tryLease(RETENTION_LEASE, this.holder, intervalMs))) return undefined;
    return engine.purgeExpired();
  }
}
