import { isErasedSlot } from '../privacy/bundle-erase.js';
import type { KindredConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { PrecomputeRequest } from '../engine-types.js';
import { stageDigest } from '../pipeline/list-cache.js';
import { serveThroughCache } from '../pipeline/recommend.js';
import type { PipelineStages } from '../pipeline/registry.js';
import { buildRecommendContext, type ContextDeps } from '../pipeline/request-context.js';
import type { Cache } from '../storage/cache.js';
import type { Store } from '../storage/store.js';
import { precomputeLists, type PrecomputeReport } from './materializer.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { errorMessage } from '../core/errors.js';

/** What precomputing lists needs from the engine. */
export interface ListPrecomputeDeps {
  config: KindredConfig;
  store: Store;
  cache: Cache;
  clock: Clock;
  logger: Logger;
  stages: PipelineStages;
  /** The request context's dependencies for a bundle (as recommend builds them). */
  contextDeps: (bundle: ModelBundle) => ContextDeps;
}

/**
 * Precomputed lists for an engine (jobs/materializer.ts over the engine's own pipeline and cache): `forBundle` runs a
 * pass now; `onServe` starts one in the background for each bundle that starts serving when config
 * pipeline.precompute is on, at most one pass at a time (a new version cancels the pass for the old, whose lists
 * would be stale at once); `stop` cancels and waits, so closing never races a cache write.
 *
 * @example const lists = createListPrecompute(deps); await lists.forBundle(bundle, { inactiveDays: 7 })
 */
export function createListPrecompute(deps: ListPrecomputeDeps) {
  const { config, store, cache, clock, logger, stages } = deps;
  let running: { controller: AbortController; done: Promise<void> } | undefined;

  function forBundle(bundle: ModelBundle, opts: PrecomputeRequest = {}): Promise<PrecomputeReport> {
    const caching = { cache, digest: stageDigest(config, bundle), request: {} };
    return precomputeLists(bundle.users.ids().filter((id) => !isErasedSlot(id)), { inactiveDays: opts.inactiveDays ?? config.pipeline.precomputeInactiveDays, signal: opts.signal, onProgress: opts.onProgress }, {
      clock,
      lastEventMs: async (userId) => {
        const [latest] = await store.history(userId, { limit: 1 });
        return latest ? Date.parse(latest.timestamp) : undefined;
      },
      serveList: async (userId, signal) => serveThroughCache(stages, await buildRecommendContext(userId, { signal }, deps.contextDeps(bundle)), caching),
    });
  }

  function onServe(bundle: ModelBundle): void {
    if (!config.pipeline.precompute) return;
    const previous = running;
    const controller = new AbortController();
    previous?.controller.abort();
    const done = (async () => {
      await previous?.done;
      if (controller.signal.aborted) return;
      try {
        logger.info('precomputed lists', { ...(await forBundle(bundle, { signal: controller.signal })) });
      } catch (err) {
        if (!controller.signal.aborted) logger.warn('precomputing lists failed', { reason: errorMessage(err) });
      }
    })();
    running = { controller, done };
  }

  async function stop(): Promise<void> {
    running?.controller.abort();
    await running?.done;
    running = undefined;
  }

  return { forBundle, onServe, stop };
}
