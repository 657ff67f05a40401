import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from './config/config.js';
import { fixedClock } from './core/clock.js';
import { silentLogger } from './core/logger.js';
import type { Event, Item } from './core/types.js';
import { createEngine } from './engine.js';
import type { Engine } from './engine-types.js';
import type { FuseStageName } from './config/pipeline-section.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');

/** Two taste groups of six items; each user consumes five items of their group (every item has events). */
function tasteGroups(): { items: Item[]; events: Event[] } {
  const items: Item[] = [];
  for (let i = 0; i < 6; i++) items.push({ id: `sf${i}`, title: `Space Saga ${i}` });
  for (let i = 0; i < 6; i++) items.push({ id: `ro${i}`, title: `Love Story ${i}` });
  const events: Event[] = [];
  let t = 0;
  for (let u = 0; u < 12; u++) {
    for (let i = 0; i < 6; i++) {
      if ((u + i) % 6 === 5) continue;
      events.push({ userId: `u${u}`, itemId: `${u < 6 ? 'sf' : 'ro'}${i}`, type: 'like', timestamp: new Date(T0 + 60_000 * t++).toISOString() });
    }
  }
  return { items, events };
}

describe('no item silently left out (issue 15)', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function trained(model: string, params: Record<string, unknown>, fuse?: FuseStageName): Promise<Engine> {
    engine = await createEngine(resolveConfig({ store: { url: 'sqlite://:memory:' }, log: { level: 'silent' }, ...(fuse ? { pipeline: { fuse } } : {}) }), {
      logger: silentLogger,
      clock: fixedClock(T0 + 86_400_000),
    });
    const { items, events } = tasteGroups();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.train({ model, params });
    return engine;
  }

  for (const fuse of ['main-first', 'learned'] as const) {
    it(`recalls the items dense EASE's maxItems cap left out through the uncovered channel, and traces how many (${fuse})`, async () => {
      // EASE keeps 4 of the 12 items; u0 has seen sf0..sf4, so only the uncovered channel
      // and the popular filler reach sf5
      const e = await trained('ease', { maxItems: 4, lambda: 1 }, fuse);
      const res = await e.recommend('u0', { count: 4 });
      // scored by content (the builtin embeddings give a semantic model), else by popularity
      const entry = res.trace.find((t) => t.stage.startsWith('uncovered:'));
      expect(entry).toMatchObject({ kind: 'recall', uncovered: 8 });
      expect(entry?.candidatesOut).toBeGreaterThan(0);
      expect(res.items.map((r) => r.itemId)).toContain('sf5');
      for (const r of res.items) expect(r.reasons.length).toBeGreaterThan(0);
    });
  }

  it('adds no uncovered channel when the main model scores every item with events', async () => {
    const e = await trained('sparse-ease', { lambda: 1 });
    const res = await e.recommend('u0', { count: 4 });
    expect(res.trace.some((t) => t.stage.startsWith('uncovered'))).toBe(false);
    expect(res.items[0].itemId).toBe('sf5');
  });
});
