import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { IdIndex } from '../core/ids.js';
import { silentLogger } from '../core/logger.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { buildRecommendContext } from './request-context.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');

/** The request context of user u, whose four likes end `hoursAgo` hours before now. */
async function contextFor(hoursAgo: number) {
  const store = new MemoryStore();
  await store.addEvents(['a', 'b', 'c', 'd'].map((itemId, i) => ({ userId: 'u', itemId, type: 'like', timestamp: new Date(NOW - (hoursAgo + 3 - i) * HOUR).toISOString() })));
  const bundle = { items: IdIndex.from(['a', 'b', 'c', 'd', 'e']), trainedItems: 5 } as unknown as ModelBundle;
  const config = resolveConfig({ interests: { shortTermEvents: 2 } });
  return buildRecommendContext('u', {}, { config, store, bundle, clock: fixedClock(NOW), logger: silentLogger, embeddings: async () => undefined, llmProvider: async () => undefined });
}

describe('the short-term row of a request', () => {
  it('holds the newest events while the newest is recent (interests.shortTermSlotHours, default 72)', async () => {
    const ctx = await contextFor(1);
    expect(ctx.profile?.newestMs).toBe(NOW - HOUR);
    expect(Array.from(ctx.recentCfRow?.indices ?? [])).toEqual([2, 3]); // c, d: oldest first
  });

  it('is left out for a user whose newest event is older: their old events are no short-term interest', async () => {
    const ctx = await contextFor(100);
    expect(ctx.recentCfRow).toBeUndefined();
    expect(Array.from(ctx.cfRow.indices)).toEqual([0, 1, 2, 3]);
  });
});
