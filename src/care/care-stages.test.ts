import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { IdIndex } from '../core/ids.js';
import type { Item } from '../core/types.js';
import type { ModelBundle } from '../models/model-bundle.js';
import type { Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import { calibratedOrder, calibrationKl, categoryMix } from './calibration.js';
import { calibrationStage } from './calibration-stage.js';
import { checkCareOverride } from './care-strength.js';
import { diversityStage } from './diversity-stage.js';
import { explainCandidates } from './explain.js';
import { positionalRelevance } from './mmr.js';

const genres = ['drama', 'drama', 'drama', 'comedy', 'drama', 'war', 'comedy', 'drama'];
const items: Item[] = genres.map((g, i) => ({ id: `m${i}`, categories: [g] }));
const ids = IdIndex.from(items.map((it) => it.id));
const fused: Candidate[] = items.map((item, i) => ({ itemId: item.id, via: 'cf', score: 10 - i, scores: {}, item }));

/**
 * A request for `count` items over a bundle with no item vectors (so similarity is Jaccard over categories). The
 * user has no history, so the configured strengths apply in full only with the history ramp off (historyRampFull 0).
 */
function ctx(care: Record<string, unknown>, count = 4, override?: RecommendContext['care']): RecommendContext {
  return {
    count, care: override,
    config: resolveConfig({ care: { historyRampFull: 0, ...care } }),
    bundle: { items: ids, models: { main: { name: 'itemknn' } } } as unknown as ModelBundle,
    row: { indices: new Int32Array(), values: new Float32Array() },
  } as unknown as RecommendContext;
}
const order = async (c: RecommendContext) => (await diversityStage.run(fused, c) as Candidate[]).map((x) => x.itemId);

describe('diversity stage', () => {
  it('does not run at strength 0 without a cap, and leaves the order as it was when run at strength 0', async () => {
    expect(diversityStage.applies?.(ctx({ diversity: 0 }))).toBe(false);
    // the shipped strength (care.diversity 0.2) is not used for a user without history (care.historyRampStart)
    expect(diversityStage.applies?.(ctx({ historyRampStart: 5, historyRampFull: 40 }))).toBe(false);
    expect(diversityStage.applies?.(ctx({}, 4, { diversity: 0.2 }))).toBe(true);
    expect(await order(ctx({ categoryCap: 0 }, 4, { diversity: 0 }))).toEqual(fused.map((c) => c.itemId));
  });

  it('brings other genres into the shown list and marks the items it moved up', async () => {
    for (const method of ['mmr', 'dpp']) {
      const out = await diversityStage.run(fused, ctx({ diversity: 0.5, diversityMethod: method })) as Candidate[];
      const shown = out.slice(0, 4);
      expect(new Set(shown.map((c) => c.item?.categories?.[0]))).toEqual(new Set(['drama', 'comedy', 'war']));
      expect(out).toHaveLength(fused.length);
      expect(shown.find((c) => c.itemId === 'm5')?.variety).toBe(true);
      expect(shown[0]).toMatchObject({ itemId: 'm0' });
      expect(shown[0].variety).toBeUndefined();
    }
  });

  it('pm2 shares the list out in proportion to the genre mix (no history: the pool\'s, weighted by relevance)', async () => {
    // pool mix by linear relevance: drama .722, comedy .194, war .083; Sainte-Laguë at strength 1 seats d, d, c, d
    const out = await diversityStage.run(fused, ctx({ diversity: 1, diversityMethod: 'pm2' })) as Candidate[];
    expect(out.slice(0, 4).map((c) => c.itemId)).toEqual(['m0', 'm1', 'm3', 'm2']);
    expect(out.slice(0, 4).map((c) => c.variety === true)).toEqual([false, false, true, false]);
  });

  it('a request\'s own strength overrides config', async () => {
    expect(await order(ctx({ diversity: 0.5 }, 4, { diversity: 0 }))).toEqual(fused.map((c) => c.itemId));
  });

  it('caps categories: never more than care.categoryCap items of one genre', async () => {
    const out = await order(ctx({ categoryCap: 2, diversity: 0 }));
    expect(out).toEqual(['m0', 'm1', 'm3', 'm5', 'm6']);
  });
});

describe('calibration', () => {
  it('computes Steck\'s mix and smoothed KL', () => {
    expect(categoryMix([['a'], ['a', 'b']])).toEqual(new Map([['a', 0.75], ['b', 0.25]]));
    const p = new Map([['a', 0.5], ['b', 0.5]]);
    expect(calibrationKl(p, p)).toBeCloseTo(0, 12);
    // q̃(b) = 0.01 · 0.5, q̃(a) = 0.99 + 0.005: 0.5 ln(0.5 / 0.995) + 0.5 ln(0.5 / 0.005)
    expect(calibrationKl(p, new Map([['a', 1]]))).toBeCloseTo(0.5 * Math.log(0.5 / 0.995) + 0.5 * Math.log(100), 12);
  });

  it('moves the list\'s mix toward the user\'s (KL drops) and keeps the order at λ 0', () => {
    const cats = genres.map((g) => [g]);
    const user = new Map([['drama', 0.5], ['comedy', 0.3], ['war', 0.2]]);
    const rel = positionalRelevance(cats.length);
    const mixOf = (order: number[]) => categoryMix(order.map((p) => cats[p]));
    const plain = [0, 1, 2, 3, 4];
    const calibrated = calibratedOrder(cats, rel, user, 5, 0.5);
    expect(calibratedOrder(cats, rel, user, 5, 0)).toEqual(plain);
    expect(calibrationKl(user, mixOf(calibrated))).toBeLessThan(calibrationKl(user, mixOf(plain)) / 2);
    expect(new Set(calibrated.map((p) => genres[p]))).toEqual(new Set(['drama', 'comedy', 'war']));
  });

  it('the stage runs only with a history and λ > 0', () => {
    expect(calibrationStage.applies?.(ctx({ calibration: 0.5 }))).toBe(false);
    const withHistory = { ...ctx({ calibration: 0.5 }), row: { indices: Int32Array.of(0), values: Float32Array.of(1) } };
    expect(calibrationStage.applies?.(withHistory)).toBe(true);
    expect(calibrationStage.applies?.({ ...withHistory, care: { calibration: 0 } })).toBe(false);
  });
});

describe('care config and overrides', () => {
  it('rejects strengths outside 0..1 and unknown methods, naming the key', () => {
    expect(() => resolveConfig({ care: { diversity: 1.5 } })).toThrow(/care\.diversity/);
    expect(() => resolveConfig({ care: { diversityMethod: 'xquad' as 'mmr' } })).toThrow(/care\.diversityMethod/);
    expect(() => resolveConfig({ care: { categoryCap: -1 } })).toThrow(/care\.categoryCap/);
    expect(() => resolveConfig({ pipeline: { rerank: ['diversity', 'calibration'] } })).not.toThrow();
    expect(() => checkCareOverride({ calibration: -0.1 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: 'care.calibration must be a number from 0 to 1' }));
    expect(checkCareOverride({ diversity: 0.3 })).toEqual({ diversity: 0.3 });
  });
});

describe('variety reason', () => {
  it('an item moved up for variety says so beside its own reason', () => {
    const [moved, kept] = explainCandidates([
      { itemId: 'm5', score: 1, channel: 'popular', because: [], reasons: [{ kind: 'popular', text: 'Popular' }], variety: true },
      { itemId: 'm1', score: 2, channel: 'popular', because: [], reasons: [{ kind: 'popular', text: 'Popular' }] },
    ], { lookup: new Map() });
    expect(moved.reasons.map((r) => r.kind)).toEqual(['popular', 'variety']);
    expect(moved.reasons[1].text).toBe('Chosen for variety: unlike the items above it');
    expect(kept.reasons.map((r) => r.kind)).toEqual(['popular']);
  });
});
