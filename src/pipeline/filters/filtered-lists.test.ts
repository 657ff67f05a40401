import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/config.js';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { Event, Item } from '../../core/types.js';
import { createEngine } from '../../engine.js';
import type { Engine } from '../../engine-types.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const CATALOGUE = 120;

/**
 * 120 items, item i less popular than item i-1 (6 events down to 1); only the five least popular cost 100 or more,
 * so a filter on price keeps items far below the depth a list of 5 normally recalls. Two taste groups by category.
 */
function shop(): { items: Item[]; events: Event[] } {
  const items: Item[] = [];
  const events: Event[] = [];
  let t = 0;
  for (let i = 0; i < CATALOGUE; i++) {
    const group = i % 2 === 0 ? 'even' : 'odd';
    items.push({ id: `i${i}`, title: `Item ${i}`, categories: [group], attributes: { price: i < CATALOGUE - 5 ? 10 : 100 + i, in_stock: i % 3 !== 0 } });
    const popularity = 1 + Math.floor((CATALOGUE - 1 - i) / 20);
    for (let u = 0; u < popularity; u++) events.push({ userId: `${group}-u${(i + u) % 10}`, itemId: `i${i}`, type: 'like', timestamp: iso(t++) });
  }
  return { items, events };
}

describe('filtered recommendations', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function trained(model = 'itemknn'): Promise<Engine> {
    engine = await createEngine(resolveConfig({ store: { url: 'sqlite://:memory:' }, log: { level: 'silent' } }), {
      logger: silentLogger, clock: fixedClock(T0 + 86_400_000),
    });
    const { items, events } = shop();
    await engine.upsertItems(items);
    await engine.addEvents(events);
    await engine.train({ model });
    return engine;
  }

  it('keeps only matching items and still fills the list when the matches rank far down', async () => {
    const e = await trained('popular');
    const plain = await e.recommend(undefined, { count: 5 });
    expect(plain.items.every((r) => Number(r.itemId.slice(1)) < CATALOGUE - 5)).toBe(true);
    const filtered = await e.recommend(undefined, { count: 5, filter: 'price >= 100' });
    expect(filtered.items.map((r) => r.itemId).sort()).toEqual(['i115', 'i116', 'i117', 'i118', 'i119']);
  });

  it('filters a personal list by category and attribute, with count items when enough match', async () => {
    const e = await trained();
    const res = await e.recommend('even-u0', { count: 6, filter: 'category = "odd" and in_stock = true' });
    expect(res.personalised).toBe(true);
    expect(res.items).toHaveLength(6);
    const byId = new Map(shop().items.map((it) => [it.id, it]));
    for (const r of res.items) {
      const item = byId.get(r.itemId);
      expect(item?.categories).toEqual(['odd']);
      expect(item?.attributes?.in_stock).toBe(true);
    }
  });

  it('returns fewer items only when fewer match', async () => {
    const e = await trained();
    const res = await e.recommend('even-u0', { count: 10, filter: 'id in ("i1", "i3", "nope")' });
    expect(res.items.map((r) => r.itemId).sort()).toEqual(['i1', 'i3']);
  });

  it('filters similar items the same way', async () => {
    const e = await trained();
    const inStock = (id: string) => Number(id.slice(1)) % 3 !== 0;
    const unfiltered = await e.similar('i2', { count: 4 });
    expect(unfiltered.items.some((r) => !inStock(r.itemId))).toBe(true);
    const res = await e.similar('i2', { count: 4, filter: 'in_stock = true' });
    expect(res.items).toHaveLength(4);
    for (const r of res.items) expect(inStock(r.itemId)).toBe(true);
    // Only even items are ever liked with i2: an odd-only filter leaves nothing similar, and says so with an empty list.
    expect((await e.similar('i2', { count: 4, filter: '"even" not in categories' })).items).toEqual([]);
  });

  it('rejects a bad filter with the position of the bad token, before anything else is checked', async () => {
    engine = await createEngine(resolveConfig({ store: { url: 'sqlite://:memory:' }, log: { level: 'silent' } }), { logger: silentLogger });
    await expect(engine.recommend('u1', { filter: 'price < ' })).rejects.toMatchObject({
      code: 'INVALID_INPUT', details: { field: 'filter', position: 8, expected: 'value' },
    });
    await expect(engine.similar('i1', { filter: 'price <> 5' })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { position: 7 } });
  });
});
