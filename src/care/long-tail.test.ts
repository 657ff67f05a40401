import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { IdIndex } from '../core/ids.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { PopularModel, popularDefinition } from '../models/popular/popular.js';
import type { Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import { checkCareOverride, diversityStrength, historyRamp, noveltyStrength } from './care-strength.js';
import { maxPopularity, popularityOf } from './item-popularity.js';
import { discountedRelevance, longTailOrder, normalisedLogPopularity } from './long-tail.js';
import { longTailStage } from './long-tail-stage.js';

const ids = IdIndex.from(['m0', 'm1', 'm2', 'm3', 'm4', 'new']);
// m0..m4 were trained on (taken by 100, 80, 3, 60 and 0 users); 'new' was added after training
const popular = new PopularModel(popularDefinition.parseParams({ measure: 'users', halfLifeDays: 0 }), Float32Array.of(100, 80, 3, 60, 0));
const bundle = { items: ids, trainedItems: 5, models: { main: { name: 'ease' }, popular } } as unknown as ModelBundle;
const fused: Candidate[] = ['m0', 'm1', 'm2', 'm3', 'm4'].map((itemId, i) => ({ itemId, via: 'cf', score: 1 - i / 10, scores: {} }));

function rowOf(n: number) {
  return { indices: Int32Array.from({ length: n }, (_, i) => i), values: new Float32Array(n).fill(1) };
}

/** A request for `count` items by a user with `history` items in their row. */
function ctx(care: Record<string, unknown>, opts: { count?: number; history?: number; override?: RecommendContext['care'] } = {}): RecommendContext {
  return {
    count: opts.count ?? 2, care: opts.override, bundle,
    config: resolveConfig({ care }),
    row: rowOf(opts.history ?? 50),
  } as unknown as RecommendContext;
}
const run = async (c: RecommendContext) => (await longTailStage.run(fused, c)) as Candidate[];

describe('long-tail arithmetic, hand-checked', () => {
  it('normalises popularity on a log scale against the most popular item', () => {
    expect(Array.from(normalisedLogPopularity([0, 3, 15], 15))).toEqual([0, 0.5, 1]);
    expect(Array.from(normalisedLogPopularity([4, 1], 0))).toEqual([0, 0]);
  });

  it('discounts relevance by position as DCG does', () => {
    const r = discountedRelevance(4);
    expect(r[0]).toBe(1);
    expect(r[1]).toBeCloseTo(1 / Math.log2(3), 12);
    expect(r[2]).toBe(0.5);
    expect(r[3]).toBeCloseTo(1 / Math.log2(5), 12);
  });

  it('orders by relevance − strength · penalty, ties in input order, the input order at strength 0', () => {
    const rel = Float64Array.of(1, 0.75, 0.5, 0.25);
    const pen = Float64Array.of(1, 0.2, 0, 1);
    // scores 0.5, 0.65, 0.5, −0.25: 1 first, then 0 and 2 tied in input order
    expect(longTailOrder(rel, pen, 0.5)).toEqual([1, 0, 2, 3]);
    expect(longTailOrder(rel, pen, 0)).toEqual([0, 1, 2, 3]);
  });

  it('reads popularity from the bundle\'s popular model; items added after training count 0', () => {
    expect(Array.from(popularityOf(bundle, Int32Array.of(3, 5, 2, -1)))).toEqual([60, 0, 3, 0]);
    expect(maxPopularity(bundle)).toBe(100);
  });
});

describe('long-tail stage', () => {
  it('is not run at strength 0, nor for a user whose history is too short for the configured strength', () => {
    expect(longTailStage.applies?.(ctx({ novelty: 0 }))).toBe(false);
    expect(longTailStage.applies?.(ctx({ novelty: 0.3 }, { history: 5 }))).toBe(false);
    expect(longTailStage.applies?.(ctx({ novelty: 0.3 }, { history: 6 }))).toBe(true);
    // a request's own strength is taken as asked, even with no history
    expect(longTailStage.applies?.(ctx({ novelty: 0 }, { history: 0, override: { novelty: 0.2 } }))).toBe(true);
  });

  it('lifts the never-taken item into a list of 2 at strength 0.5 and marks it; keeps the head at 0.2', async () => {
    // penalties log1p(p)/log1p(100): 1, 0.9522, 0.3004, 0.8907, 0; relevance 1, 0.6309, 0.5, 0.4307, 0.3869
    // at 0.5: 0.5, 0.1548, 0.3498, −0.0147, 0.3869 → m0, m4, m2, m1, m3
    const strong = await run(ctx({ novelty: 0.5 }));
    expect(strong.map((c) => c.itemId)).toEqual(['m0', 'm4', 'm2', 'm1', 'm3']);
    expect(strong.map((c) => c.lessKnown === true)).toEqual([false, true, false, false, false]);
    // at 0.2: 0.8, 0.4405, 0.4399, 0.2525, 0.3869 → only m3 and m4 swap, below the shown two
    const mild = await run(ctx({ novelty: 0.2 }));
    expect(mild.map((c) => c.itemId)).toEqual(['m0', 'm1', 'm2', 'm4', 'm3']);
    expect(mild.some((c) => c.lessKnown)).toBe(false);
  });

  it('looks only care.noveltyDepth × count deep: the rest keeps its order', async () => {
    // depth 1 with count 2: the first count + 1 = 3 candidates are re-scored, m3 and m4 stay behind them
    const out = await run(ctx({ novelty: 0.5, noveltyDepth: 1 }));
    expect(out.map((c) => c.itemId)).toEqual(['m0', 'm2', 'm1', 'm3', 'm4']);
  });
});

describe('care strengths grow with the history', () => {
  it('ramps linearly from care.historyRampStart to care.historyRampFull items', () => {
    const care = { historyRampStart: 5, historyRampFull: 40, novelty: 0.3, diversity: 0.2 };
    expect(historyRamp(ctx(care, { history: 5 }))).toBe(0);
    expect(historyRamp(ctx(care, { history: 12 }))).toBeCloseTo(0.2, 12);
    expect(historyRamp(ctx(care, { history: 40 }))).toBe(1);
    expect(noveltyStrength(ctx(care, { history: 12 }))).toBeCloseTo(0.06, 12);
    expect(diversityStrength(ctx(care, { history: 3 }))).toBe(0);
    expect(diversityStrength(ctx(care, { history: 100 }))).toBe(0.2);
    // a ramp with full at or below start is a step at full
    expect(historyRamp(ctx({ historyRampStart: 10, historyRampFull: 0 }, { history: 0 }))).toBe(1);
  });

  it('checks a request\'s novelty like the other strengths', () => {
    expect(() => checkCareOverride({ novelty: 1.5 })).toThrow(/care.novelty must be a number from 0 to 1/);
    expect(checkCareOverride({ novelty: 0.4 })).toEqual({ novelty: 0.4 });
  });
});
