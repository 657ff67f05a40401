import type { Logger } from '../core/logger.js';
import type { Cache } from '../storage/cache.js';
import type { Store } from '../storage/store.js';

const DAY_MS = 86_400_000;

/** What one retention purge did (engine.purgeExpired, `kindred purge-expired`, the trainer's schedule). */
export interface PurgeReport {
  /** Events deleted: every event older than the cutoff. 0 when privacy.retentionDays is 0 (keep forever). */
  purged: number;
  /** ISO-8601 cutoff (now − privacy.retentionDays); null when retention is off. */
  cutoff: string | null;
  /** ISO-8601 time of the purge. */
  at: string;
}

export interface RetentionDeps {
  store: Store;
  cache: Cache;
  logger: Logger;
  /** config privacy.retentionDays: 0 keeps events forever. */
  retentionDays: number;
}

/**
 * Deletes events older than `retentionDays` before `nowMs`, with the care of an erase: the store overwrites the freed
 * space where it can (SQLite: secure_delete and a truncated WAL; see Store.purgeEventsBefore), and cached lists, which
 * were built from the purged history, are dropped when anything was purged. Logs the count only.
 *
 * @example const report = await purgeExpired({ store, cache, logger, retentionDays: 365 }, Date.now());
 */
export async function purgeExpired(deps: RetentionDeps, nowMs: number): Promise<PurgeReport> {
  const at = new Date(nowMs).toISOString();
  if (deps.retentionDays <= 0) return { purged: 0, cutoff: null, at };
  const cutoff = new Date(nowMs - deps.retentionDays * DAY_MS);
  const purged = await deps.store.purgeEventsBefore(cutoff);
  if (purged > 0) {
    await deps.cache.invalidate({});
    deps.logger.info('retention: purged expired events', { purged });
  }
  return { purged, cutoff: cutoff.toISOString(), at };
}
