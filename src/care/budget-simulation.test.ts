import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../config/config.js';
import type { Engine } from '../engine-types.js';
import { RECALL_CHANNEL_BUDGETS } from '../config/pipeline-section.js';
import { openShopEngine } from '../testkit/shop-engine.js';
import { budgetNotice, floorNotice } from './budget.js';

const HOUR = 3_600_000;
const START = Date.parse('2024-02-01T00:00:00Z');

let open: Engine[] = [];
afterEach(async () => {
  await Promise.all(open.map((e) => e.close()));
  open = [];
});

/** The shop (u0..u9 like 8 neighbouring items each) plus `weak`, who viewed one item once; scores are itemknn's own. */
async function shop(input: ConfigInput = {}) {
  const { engine, clock } = await openShopEngine(input, START, [{ userId: 'weak', itemId: 'i29', type: 'view', timestamp: '2024-01-20T00:00:00Z' }]);
  open.push(engine);
  return { engine, clock };
}

describe('daily budget: a user who keeps asking', () => {
  // With fatigue named the budget counts the impressions fatigue reads; without it, its own read of the last 24 h.
  for (const rerank of [undefined, ['budget']]) {
    it(`never sees more than the budget in any 24 h, and gets it back the next day (rerank ${rerank ? rerank.join(',') : 'default'})`, async () => {
      const budget = 12;
      const { engine, clock } = await shop({ care: { dailyBudget: budget }, ...(rerank ? { pipeline: { rerank } } : {}) });
      const shownAt: Array<{ at: number; n: number }> = [];
      const notices: Array<string | undefined> = [];
      for (let step = 0; step < 40; step++) {
        const res = await engine.recommend('u0', { count: 5 });
        notices.push(res.notice);
        if (res.items.length > 0) await engine.recordImpressions('u0', res.items.map((r) => r.itemId), new Date(clock.now()));
        shownAt.push({ at: clock.now(), n: res.items.length });
        const lastDay = shownAt.filter((s) => s.at > clock.now() - 24 * HOUR).reduce((sum, s) => sum + s.n, 0);
        expect(lastDay).toBeLessThanOrEqual(budget);
        clock.advance(HOUR);
      }
      // 5 + 5 + the last 2, then nothing until the first list is 24 h old; then 5 again (the first list's 5 are free).
      expect(shownAt.slice(0, 5).map((s) => s.n)).toEqual([5, 5, 2, 0, 0]);
      expect(notices.slice(0, 4)).toEqual([undefined, undefined, budgetNotice(budget, 2), budgetNotice(budget, 0)]);
      expect(notices[3]).toBe('Your daily budget of 12 recommendations is reached: no more for now.');
      expect(shownAt[24].n).toBe(5);
      expect(shownAt.reduce((sum, s) => sum + s.n, 0)).toBeGreaterThan(budget * 1.5); // the budget is rolling, not a lifetime cap
    });
  }

  it('another user has their own budget; the budget stage is traced', async () => {
    const { engine, clock } = await shop({ care: { dailyBudget: 5 } });
    const first = await engine.recommend('u0', { count: 5 });
    await engine.recordImpressions('u0', first.items.map((r) => r.itemId), new Date(clock.now()));
    expect((await engine.recommend('u0', { count: 5 })).items).toEqual([]);
    const other = await engine.recommend('u1', { count: 5 });
    expect(other.items).toHaveLength(5);
    expect(other.notice).toBeUndefined();
    expect(other.trace.filter((t) => t.kind === 'rerank').map((t) => t.stage).at(-1)).toBe('budget');
  });

  it('is off by default: no budget stage in the trace, lists as before', async () => {
    const { engine, clock } = await shop();
    for (let i = 0; i < 3; i++) {
      const res = await engine.recommend('u1', { count: 5 });
      expect(res.items).toHaveLength(5);
      expect(res.trace.map((t) => t.stage)).not.toContain('budget');
      await engine.recordImpressions('u1', res.items.map((r) => r.itemId), new Date(clock.now()));
    }
  });
});

describe('quality floor', () => {
  // main-first over the cf channel alone, so the fused score is itemknn's own: u0's items score 2.6..11.8, weak's
  // (one view of i29) 0.8 for i0, i1, i27, i28 and below 0.5 for the rest. (With popular padding under main-first, the
  // padded items would carry popular's own score, a count: a floor is meant for learned fusion's probabilities.)
  const config: ConfigInput = { pipeline: { fuse: 'main-first', recall: { cf: RECALL_CHANNEL_BUDGETS.cf } } };

  it('returns fewer items with a notice on a weak case, and leaves a strong case alone', async () => {
    const { engine } = await shop({ ...config, care: { qualityFloor: 0.6 } });
    const weak = await engine.recommend('weak', { count: 10 });
    expect(weak.items.map((r) => r.itemId).sort()).toEqual(['i0', 'i1', 'i27', 'i28']);
    expect(weak.notice).toBe(floorNotice(weak.items.length));
    expect(weak.notice).toBe('Few items suit you well right now, so this list is shorter.');
    const strong = await engine.recommend('u0', { count: 10 });
    expect(strong.items).toHaveLength(10);
    expect(strong.notice).toBeUndefined();
  });

  it('changes nothing at 0; a request may set its own floor', async () => {
    const { engine } = await shop(config);
    const plain = await engine.recommend('weak', { count: 10 });
    const zero = await engine.recommend('weak', { count: 10, care: { qualityFloor: 0 } });
    expect(zero.items.map((r) => r.itemId)).toEqual(plain.items.map((r) => r.itemId));
    expect(zero.notice).toBeUndefined();
    expect(zero.trace.map((t) => t.stage)).not.toContain('budget');
    const floored = await engine.recommend('weak', { count: 10, care: { qualityFloor: 0.6 } });
    expect(floored.items.map((r) => r.itemId)).toEqual(plain.items.filter((r) => r.score >= 0.6).map((r) => r.itemId));
    expect(floored.trace.map((t) => t.stage)).toContain('budget');
    const none = await engine.recommend('weak', { count: 10, care: { qualityFloor: 1 } });
    expect(none.items).toEqual([]);
    expect(none.notice).toBe('Nothing suits you well enough right now.');
  });

  it('rejects a floor outside 0..1 in the library and in config', async () => {
    const { engine } = await shop(config);
    await expect(engine.recommend('weak', { care: { qualityFloor: 2 } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(engine.recommend('weak', { care: { qualityFloor: Number.NaN } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(() => resolveConfig({ care: { qualityFloor: -0.1 } })).toThrow();
    expect(() => resolveConfig({ care: { dailyBudget: -1 } })).toThrow();
  });
});
