/** The engine's dashboard reads: events over time, item exposure, user timelines, provider and store health. */
import type { Engine } from '../engine-types.js';
import { isEngineError } from '../core/errors.js';
import type { Store } from '../storage/store.js';
import { eventTimeline, itemExposure } from './event-timeline.js';
import type { ProviderCalls } from './provider-calls.js';
import { userEvents } from './user-events.js';

export interface InsightDeps {
  store: Store;
  embeddingCalls: ProviderCalls;
  llmCalls: ProviderCalls;
}

/**
 * The Engine methods behind the dashboard's read routes, over the store and the providers' recorded calls.
 *
 * @example const engine = { ...createInsights({ store, embeddingCalls, llmCalls }), ... }
 */
export function createInsights(deps: InsightDeps): Pick<Engine, 'eventStats' | 'itemExposure' | 'userEvents' | 'serviceHealth'> {
  const { store } = deps;
  return {
    eventStats: (opts = {}) => eventTimeline(store, { bucket: opts.bucket }),
    itemExposure: (itemId, opts = {}) => itemExposure(store, itemId, opts.bucket),
    userEvents: (userId, opts) => userEvents(store, userId, opts),
    async serviceHealth() {
      const storeHealth = await store.health().then(
        () => ({ kind: store.kind, ok: true }),
        (err: unknown) => ({ kind: store.kind, ok: false, error: isEngineError(err) ? err.code : 'INTERNAL' }),
      );
      return {
        providers: {
          embedding: deps.embeddingCalls.health(),
          llm: deps.llmCalls.health(),
        },
        store: storeHealth,
      };
    },
  };
}
