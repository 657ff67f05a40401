import { resolveConfig, type ConfigInput } from '../config/config.js';
import { RECALL_CHANNEL_BUDGETS } from '../config/pipeline-section.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Event, Item, UserId } from '../core/types.js';
import { trainBundle } from '../jobs/trainer.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { buildRecommendContext, type RecommendContext } from '../pipeline/request-context.js';
import { openEmbeddingProvider } from '../providers/registry.js';
import { MemoryStore } from '../storage/memory/memory-store.js';

export const DAY_MS = 86_400_000;
/** "Now" in recall fixtures: 2024-06-01. */
export const NOW_MS = Date.parse('2024-06-01T00:00:00Z');

/** An event `daysAgo` before NOW_MS (fractions allowed), type like. */
export function liked(userId: UserId, itemId: string, daysAgo: number): Event {
  return { userId, itemId, type: 'like', timestamp: new Date(NOW_MS - daysAgo * DAY_MS).toISOString() };
}

/** A trained store for one recall channel's hand-checked cases, and the request context of any user. */
export interface RecallFixture {
  store: MemoryStore;
  bundle: ModelBundle;
  context(userId: UserId | undefined, count?: number): Promise<RecommendContext>;
}

/**
 * Stores `items` and `events`, trains `model` (default itemknn) with every recall channel turned on (so the channel
 * models are in the bundle; `pipeline` overrides), with the character n-gram encoder when `text` is set.
 *
 * @example const f = await recallFixture({ items, events }); const ctx = await f.context('me');
 */
export async function recallFixture(opts: {
  items: Item[]; events: Event[]; model?: string; params?: Record<string, unknown>; text?: boolean; pipeline?: ConfigInput['pipeline'];
}): Promise<RecallFixture> {
  const config = resolveConfig({
    store: { url: 'memory://' },
    embeddings: { provider: opts.text ? 'ngram' : 'none' },
    pipeline: { recall: RECALL_CHANNEL_BUDGETS, rerank: [], ...opts.pipeline },
  });
  const store = new MemoryStore();
  await store.upsertItems(opts.items);
  await store.addEvents(opts.events);
  const clock = fixedClock(NOW_MS);
  const embeddings = opts.text ? await openEmbeddingProvider('ngram') : undefined;
  const { bundle } = await trainBundle(store, config, { model: opts.model ?? 'itemknn', params: opts.params ?? {} }, { logger: silentLogger, clock, embeddings });
  return {
    store,
    bundle,
    context: (userId, count = 3) => buildRecommendContext(userId, { count }, {
      config, store, bundle, clock, logger: silentLogger, embeddings: async () => embeddings, llmProvider: async () => undefined,
    }),
  };
}
