import type { Clock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import type { UserId } from '../core/types.js';

/** What one precompute pass did. */
export interface PrecomputeReport {
  /** Users looked at. */
  users: number;
  /** Lists computed and written to the cache. */
  computed: number;
  /** Users whose list for the current stages and history was already cached. */
  alreadyCached: number;
  /** Users with an event within the inactivity window: their lists are computed live, on request. */
  active: number;
  /** Users without a history the pipeline can personalise (nothing to precompute). */
  skipped: number;
  seconds: number;
}

/** What precomputing needs from the engine. */
export interface MaterializerDeps {
  clock: Clock;
  /** The time of the user's newest event (undefined when they have none). */
  lastEventMs(userId: UserId): Promise<number | undefined>;
  /**
   * Serves the user's default list through the list cache: 'cached' when the cache already held it, 'computed' when
   * it was computed and stored, 'uncacheable' when the request could not be cached (no usable history, or a stage
   * degraded).
   */
  serveList(userId: UserId, signal?: AbortSignal): Promise<'cached' | 'computed' | 'uncacheable'>;
}

export interface PrecomputeOptions {
  /** A user with an event in the last `inactiveDays` days is active and left to be computed live. */
  inactiveDays: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Lets requests waiting on the event loop run between two users, so a pass never stalls serving. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Precomputes the default list of every inactive user into the cache, keyed (by the list cache) by the digest of the
 * stage config and model that made it and by the user's history: a config or model change makes exactly those lists
 * stale, a new event makes the user's list stale, and requests then compute live. Cancelled through `signal`
 * (EngineError CANCELLED).
 *
 * @example const report = await precomputeLists(bundle.users.ids(), { inactiveDays: 7 }, deps)
 */
export async function precomputeLists(users: Iterable<UserId>, opts: PrecomputeOptions, deps: MaterializerDeps): Promise<PrecomputeReport> {
  const t0 = performance.now();
  const ids = [...users];
  const cutoff = deps.clock.now() - opts.inactiveDays * 86_400_000;
  const report: PrecomputeReport = { users: ids.length, computed: 0, alreadyCached: 0, active: 0, skipped: 0, seconds: 0 };
  for (const [done, userId] of ids.entries()) {
    if (opts.signal?.aborted) throw new EngineError('CANCELLED', 'precomputing lists cancelled');
    const last = await deps.lastEventMs(userId);
    if (last === undefined) report.skipped++;
    else if (last > cutoff) report.active++;
    else {
      const outcome = await deps.serveList(userId, opts.signal);
      if (outcome === 'cached') report.alreadyCached++;
      else if (outcome === 'computed') report.computed++;
      else report.skipped++;
    }
    opts.onProgress?.(done + 1, ids.length);
    await yieldToRequests();
  }
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}
