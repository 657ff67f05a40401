import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../config/config.js';
import type { Engine } from '../engine-types.js';
import { openShopEngine } from '../testkit/shop-engine.js';

const HOUR = 3_600_000;
/** u0's likes are dated 2024-01-01 (shopCatalogue); the simulation starts a month later. */
const START = Date.parse('2024-02-01T00:00:00Z');
const CARE = { fatigueAfter: 2, fatigueDecay: 0.5, impressionCap: 4, cooldownHours: 24 };

let open: Engine[] = [];
afterEach(async () => {
  await Promise.all(open.map((e) => e.close()));
  open = [];
});

async function shop(input: ConfigInput = {}) {
  const { engine, clock, events } = await openShopEngine(input, START);
  open.push(engine);
  const likes = new Set(events.filter((e) => e.userId === 'u0').map((e) => e.itemId));
  const ids = async (userId: string, opts: { count?: number; includeConsumed?: boolean } = {}) => (await engine.recommend(userId, { count: 5, ...opts })).items.map((r) => r.itemId);
  return { engine, clock, likes, ids };
}

describe('fatigue: a user who ignores what they are shown', () => {
  it('sees the ignored top items fade from fatigueAfter on and never beyond the cap; a cool-down brings them back', async () => {
    const { engine, clock, ids } = await shop({ care: CARE });
    const first = await ids('u0');
    const top = first[0];
    const shownTimes = new Map<string, number>();
    const topPlaces: number[] = [];
    for (let round = 0; round < 10; round++) {
      const list = await ids('u0');
      topPlaces.push(list.indexOf(top));
      for (const id of list) shownTimes.set(id, (shownTimes.get(id) ?? 0) + 1);
      await engine.recordImpressions('u0', list, new Date(clock.now()));
      clock.advance(HOUR);
    }
    // Shown twice unchanged (fatigueAfter 2), then lower (0.5: from the top to below the middle of 15 candidates), then gone.
    expect(topPlaces.slice(0, 2)).toEqual([0, 0]);
    expect(topPlaces[2]).not.toBe(0);
    expect(Math.max(...shownTimes.values())).toBeLessThanOrEqual(CARE.impressionCap);
    expect([...shownTimes.values()].filter((n) => n === CARE.impressionCap).length).toBeGreaterThan(0);
    const capped = [...shownTimes].filter(([, n]) => n === CARE.impressionCap).map(([id]) => id);
    const now = await engine.recommend('u0', { count: 20 });
    expect(now.items.map((r) => r.itemId).filter((id) => capped.includes(id))).toEqual([]);
    expect(now.trace.map((t) => t.stage)).toContain('fatigue');

    clock.advance(CARE.cooldownHours * HOUR + 1);
    expect(await ids('u0')).toEqual(first);
  });

  it('engaging with a faded item resets its count', async () => {
    const { engine, clock, ids } = await shop({ care: CARE });
    const [top] = await ids('u0');
    for (let i = 0; i < CARE.impressionCap; i++) {
      await engine.recordImpressions('u0', [top], new Date(clock.now()));
      clock.advance(HOUR);
    }
    expect(await ids('u0', { count: 20, includeConsumed: true })).not.toContain(top);
    await engine.addEvents([{ userId: 'u0', itemId: top, type: 'click', timestamp: new Date(clock.now()).toISOString() }]);
    clock.advance(HOUR);
    expect(await ids('u0', { count: 20, includeConsumed: true })).toContain(top);
  });

  it('is a no-op without impressions: the same list as without the stage, and no trace entry', async () => {
    const on = await shop({ care: CARE });
    const off = await shop({ care: CARE, pipeline: { rerank: ['diversity', 'short-term-slot', 'interest-preferences', 'llm-rerank'] } });
    for (const user of ['u0', 'u3', 'u7']) {
      const res = await on.engine.recommend(user, { count: 10 });
      expect(res.items.map((r) => r.itemId)).toEqual(await off.ids(user, { count: 10 }));
      expect(res.trace.map((t) => t.stage)).not.toContain('fatigue');
    }
  });

  it('impressions do not push real events out of the history window', async () => {
    const { engine, clock, likes } = await shop({ care: CARE, recommend: { historyLimit: 8 } });
    const others = ['i20', 'i21', 'i22', 'i23', 'i24', 'i25', 'i26', 'i27', 'i28', 'i29'];
    await engine.recordImpressions('u0', others, new Date(clock.now()));
    const res = await engine.recommend('u0', { count: 10 });
    expect(res.personalised).toBe(true);
    expect(res.items.filter((r) => likes.has(r.itemId))).toEqual([]);
  });
});

describe('care.repeatAfterDays', () => {
  it('0 keeps consumed items out for good', async () => {
    const { clock, likes, ids } = await shop();
    clock.set(Date.parse('2025-01-01T00:00:00Z'));
    expect((await ids('u0', { count: 20 })).filter((id) => likes.has(id))).toEqual([]);
  });

  it('lets an item consumed that long ago come back, and not a recent one', async () => {
    const { engine, clock, likes, ids } = await shop({ care: { repeatAfterDays: 60 } });
    expect((await ids('u0', { count: 20 })).filter((id) => likes.has(id))).toEqual([]);
    clock.set(Date.parse('2024-03-15T00:00:00Z')); // the likes are 74 days old
    await engine.addEvents([{ userId: 'u0', itemId: 'i0', type: 'like', timestamp: new Date(clock.now()).toISOString() }]);
    const back = (await ids('u0', { count: 20 })).filter((id) => likes.has(id));
    expect(back.length).toBeGreaterThan(0);
    expect(back).not.toContain('i0');
  });
});

describe('fatigue config', () => {
  it('rejects values out of range, naming the key', () => {
    expect(() => resolveConfig({ care: { fatigueDecay: 1.5 } })).toThrow(/care\.fatigueDecay/);
    expect(() => resolveConfig({ care: { impressionCap: -1 } })).toThrow(/care\.impressionCap/);
    expect(() => resolveConfig({ care: { fatigueWindowDays: 0 } })).toThrow(/care\.fatigueWindowDays/);
    expect(() => resolveConfig({ care: { repeatAfterDays: -2 } })).toThrow(/care\.repeatAfterDays/);
  });

  it('names fatigue among the default re-rank stages', () => {
    expect(resolveConfig({}).pipeline.rerank[0]).toBe('fatigue');
  });
});
