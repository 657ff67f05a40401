import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { isEngineError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { FIXTURE_EPOCH_MS, tinyRatings } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { itemKnnDefinition, ItemKnnModel, type ItemKnnParams } from './itemknn.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS) };

modelConformanceSuite(itemKnnDefinition);
modelConformanceSuite(itemKnnDefinition, { weighting: 'tfidf', neighbors: 20, shrink: 5 });
modelConformanceSuite(itemKnnDefinition, { weighting: 'bm25', K1: 1.5, B: 0.5, normalize: true });
modelConformanceSuite(itemKnnDefinition, { prune: 'history', neighbors: 2 });

async function fitTiny(params: Partial<ItemKnnParams> = {}): Promise<ItemKnnModel> {
  const model = new ItemKnnModel(itemKnnDefinition.parseParams(params));
  await model.fit(tinyRatings(), ctx);
  return model;
}

/** sim(a, b) read through similarItems (0 when b is not a kept neighbour of a). */
function sim(model: ItemKnnModel, a: number, b: number): number {
  return model.similarItems(a, 10).find((s) => s.index === b)?.score ?? 0;
}

// tinyRatings, items as columns:  i1 = (2, 1, 0), i2 = (1, 0, 1), i3 = (0, 3, 1), i4 = (0, 0, 2) over users u1..u3
describe('itemknn similarities on tinyRatings, checked by hand', () => {
  it('cosine: dot / (|a| |b|)', async () => {
    const m = await fitTiny();
    expect(sim(m, 0, 1)).toBeCloseTo(2 / Math.sqrt(10), 6); // 2 / (√5 √2)
    expect(sim(m, 0, 2)).toBeCloseTo(3 / Math.sqrt(50), 6); // 3 / (√5 √10)
    expect(sim(m, 1, 2)).toBeCloseTo(1 / Math.sqrt(20), 6);
    expect(sim(m, 1, 3)).toBeCloseTo(1 / Math.sqrt(2), 6);
    expect(sim(m, 2, 3)).toBeCloseTo(1 / Math.sqrt(10), 6);
    expect(sim(m, 0, 3)).toBe(0); // no common user
    expect(sim(m, 2, 0)).toBeCloseTo(sim(m, 0, 2), 6); // symmetric before pruning
  });

  it('tfidf: sqrt(value) * idf(user), idf(u3) = ln 4 - ln(1 + 3) = 0, then cosine', async () => {
    const m = await fitTiny({ weighting: 'tfidf' });
    // i1 = idf * (√2, 1, 0), i2 = idf * (1, 0, 0), i3 = idf * (0, √3, 0): the u3 column vanishes
    expect(sim(m, 0, 1)).toBeCloseTo(Math.sqrt(2 / 3), 6);
    expect(sim(m, 0, 2)).toBeCloseTo(Math.sqrt(1 / 3), 6);
    expect(sim(m, 1, 2)).toBe(0);
    expect(m.similarItems(3, 5)).toEqual([]);
  });

  it('bm25 (K1 1.2, B 0.75): saturated, length-normalised, idf-weighted dot products without cosine', async () => {
    const m = await fitTiny({ weighting: 'bm25' });
    // item lengths 3, 2, 4, 2 (mean 2.75); idf(u1) = idf(u2) = ln(4 / 3)
    const idf = Math.log(4 / 3);
    const bm25 = (value: number, length: number) => ((value * 2.2) / (1.2 * (0.25 + (0.75 * length) / 2.75) + value)) * idf;
    expect(sim(m, 0, 1)).toBeCloseTo(bm25(2, 3) * bm25(1, 2), 6); // via u1
    expect(sim(m, 0, 2)).toBeCloseTo(bm25(1, 3) * bm25(3, 4), 6); // via u2
    expect(sim(m, 0, 1)).toBeCloseTo(0.124893, 5);
    expect(sim(m, 0, 2)).toBeCloseTo(0.11426, 5);
  });

  it('shrink multiplies by n / (n + shrink), n = common users', async () => {
    const m = await fitTiny({ shrink: 1 });
    expect(sim(m, 0, 1)).toBeCloseTo(2 / Math.sqrt(10) / 2, 6);
    expect(sim(m, 1, 3)).toBeCloseTo(1 / Math.sqrt(2) / 2, 6);
  });

  it('keeps only the top `neighbors` per item (prune: history scores through the history item\'s list)', async () => {
    const m = await fitTiny({ neighbors: 1, prune: 'history' });
    expect(m.similarItems(0, 5).map((s) => s.index)).toEqual([1]);
    expect(m.similarItems(2, 5).map((s) => s.index)).toEqual([0]);
    // u1 = {i1: 2, i2: 1}: i3 is no longer a kept neighbour of i1 or i2, so only i4 (via i2) is reached
    expect(m.recommend({ user: 0, k: 5, exclude: Int32Array.of(0, 1) })).toEqual([{ index: 3, score: expect.closeTo(1 / Math.sqrt(2), 6) }]);
  });
});

describe('itemknn scoring', () => {
  it('scores Σ weight * sim over the history (u1: i3 = 2·3/√50 + 1/√20, i4 = 1/√2)', async () => {
    const m = await fitTiny();
    const top = m.recommend({ user: 0, k: 5, exclude: Int32Array.of(0, 1) });
    expect(top.map((s) => s.index)).toEqual([2, 3]);
    expect(top[0].score).toBeCloseTo((2 * 3) / Math.sqrt(50) + 1 / Math.sqrt(20), 5);
    expect(top[1].score).toBeCloseTo(1 / Math.sqrt(2), 5);
  });

  it('normalize divides by the summed similarity of contributing history items', async () => {
    const m = await fitTiny({ normalize: true });
    const top = m.recommend({ user: 0, k: 5, exclude: Int32Array.of(0, 1) });
    const s13 = 3 / Math.sqrt(50);
    const s23 = 1 / Math.sqrt(20);
    expect(top[0]).toEqual({ index: 2, score: expect.closeTo((2 * s13 + s23) / (s13 + s23), 5) });
    expect(top[1]).toEqual({ index: 3, score: expect.closeTo(1, 5) });
  });

  it('scores a new user from a history row without retraining', async () => {
    const m = await fitTiny();
    const top = m.recommend({ user: { indices: Int32Array.of(0, 99), values: Float32Array.of(1, 5) }, k: 5, exclude: Int32Array.of(0) });
    expect(top.map((s) => s.index)).toEqual([1, 2]); // item 99 is unknown to the model and ignored
    expect(top[0].score).toBeCloseTo(2 / Math.sqrt(10), 5);
  });

  it('explains a score by its history items, and the contributions add up to it', async () => {
    const m = await fitTiny();
    const why = m.explain(0, 2);
    expect(why.map((c) => c.item)).toEqual([0, 1]);
    expect(why[0].weight).toBeCloseTo((2 * 3) / Math.sqrt(50), 5);
    const score = m.recommend({ user: 0, k: 1, candidates: Int32Array.of(2) })[0].score;
    expect(why.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(score, 5);
    const normalized = await fitTiny({ normalize: true });
    const nScore = normalized.recommend({ user: 0, k: 1, candidates: Int32Array.of(2) })[0].score;
    expect(normalized.explain(0, 2).reduce((s, c) => s + c.weight, 0)).toBeCloseTo(nScore, 5);
  });

  it('rejects BM25 options under another weighting, and unknown users', async () => {
    expect(() => itemKnnDefinition.parseParams({ weighting: 'cosine', K1: 2 })).toThrow(/K1/);
    expect(itemKnnDefinition.parseParams({ weighting: 'bm25', K1: 2 }).K1).toBe(2);
    const m = await fitTiny();
    let error: unknown;
    try {
      m.recommend({ user: 7, k: 3 });
    } catch (e) {
      error = e;
    }
    expect(isEngineError(error) && error.code).toBe('INVALID_INPUT');
  });
});
