import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { EngineError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../storage/store.js';

/** The store lease every training holds while it fits: one training at a time among all processes on a store. */
export const TRAINER_LEASE = 'trainer';

/**
 * A holder id for one engine: `hostname:pid:random`, unique across machines and across engines of one process.
 *
 * @example leaseHolderId() // 'web-3:4127:9f2c1a7b'
 */
export function leaseHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** The trainer lease while this engine holds it. */
export interface HeldLease {
  /** Aborts when the lease was lost (another holder took it after a renewal failed): the fit must stop. */
  readonly lost: AbortSignal;
  /** Stops renewing and gives the lease up. */
  release(): Promise<void>;
}

/**
 * Takes the trainer lease for `ttlMs` and renews it every third of that until released, so a killed trainer's lease
 * runs out within `ttlMs` and a live one never loses it. CONFLICT when another holder has it.
 *
 * @example const lease = await takeTrainerLease(store, holder, 30_000, logger); try { ... } finally { await lease.release(); }
 */
export async function takeTrainerLease(store: Store, holder: string, ttlMs: number, logger: Logger): Promise<HeldLease> {
  if (!(await store.tryLease(TRAINER_LEASE, holder, ttlMs))) {
    throw new EngineError('CONFLICT', 'another process is training on this store; retry when it ends', { lease: TRAINER_LEASE });
  }
  const lost = new AbortController();
  let renewedAt = Date.now();
  let released = false;
  const renew = async () => {
    try {
      if (await store.tryLease(TRAINER_LEASE, holder, ttlMs)) {
        renewedAt = Date.now();
        return;
      }
      if (!released) lost.abort(new EngineError('CONFLICT', 'the trainer lease was taken by another process during the fit', { lease: TRAINER_LEASE }));
    } catch (err) {
      // The store may come back before the lease runs out; past that, another trainer may hold it.
      logger.warn('trainer lease renewal failed', { reason: errorMessage(err) });
      if (!released && Date.now() - renewedAt >= ttlMs) lost.abort(new EngineError('CONFLICT', 'the trainer lease ran out while the store was unreachable', { lease: TRAINER_LEASE }));
    }
  };
  const timer = setInterval(() => { if (!lost.signal.aborted) void renew(); }, Math.max(1, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    lost: lost.signal,
    async release() {
      released = true;
      clearInterval(timer);
      await store.releaseLease(TRAINER_LEASE, holder).catch((err: unknown) => {
        logger.warn('trainer lease release failed (it runs out by itself)', { reason: errorMessage(err) });
      });
    },
  };
}
