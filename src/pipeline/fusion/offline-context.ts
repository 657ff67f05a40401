import type { KindredConfig } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { SparseRow } from '../../core/sparse.js';
import { liveProfileFromRow } from '../../interests/live-profile.js';
import { recentEmphasisOf } from '../../interests/recent-emphasis.js';
import type { ModelBundle } from '../../models/model-bundle.js';
import type { Store } from '../../storage/store.js';
import type { RecommendContext } from '../request-context.js';

export interface OfflineUser {
  /** The user's history row over the bundle's trained items (what the channels fold in). */
  row: SparseRow;
  /** Item indexes never to return (the history, and in evaluation the masked parts). */
  exclude: Int32Array;
}

export interface OfflineDeps {
  bundle: ModelBundle;
  config: KindredConfig;
  store: Store;
  clock: Clock;
  logger?: Logger;
}

/**
 * The context of one recommend request for a user known only by a history row, as training and evaluation see users:
 * the live profile a request would build from that row (recent items, short-term row), no stored interest profile,
 * no query, no LLM; the excluded items are blocked by index and by id. The pipeline then runs as it does for a live
 * request.
 *
 * @example await runPipeline(stages, offlineContext({ row, exclude: row.indices }, 10, { bundle, config, store, clock }))
 */
export function offlineContext(user: OfflineUser, count: number, deps: OfflineDeps): RecommendContext {
  const { bundle } = deps;
  const profile = user.row.indices.length > 0 ? liveProfileFromRow(user.row, bundle.items, recentEmphasisOf(deps.config)) : undefined;
  return {
    clock: deps.clock,
    logger: deps.logger ?? silentLogger,
    trace: [],
    count,
    bundle,
    store: deps.store,
    config: deps.config,
    row: user.row,
    cfRow: user.row,
    profile,
    // No short-term row: the row has no times, so nothing in it is known to be recent (request-context.ts).
    blocked: new Set(Array.from(user.exclude, (i) => bundle.items.idAt(i))),
    blockedIndexes: { all: user.exclude, trained: user.exclude },
    textMayLeave: false, // offline evaluation never calls a remote provider
  };
}
