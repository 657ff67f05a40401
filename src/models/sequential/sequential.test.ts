import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { testDataset } from '../../testkit/datasets.js';
import { FIXTURE_EPOCH_MS, tinyRatings } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { evaluateTopK, movieLens100kHoldout } from '../../testkit/quick-eval.js';
import { itemKnnDefinition } from '../itemknn/itemknn.js';
import { popularDefinition } from '../popular/popular.js';
import { sequentialDefinition, SequentialModel, type SequentialParams } from './sequential.js';
import { recentDistinct } from './transitions.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS) };

modelConformanceSuite(sequentialDefinition);
modelConformanceSuite(sequentialDefinition, { cooccurrence: 0, window: 5, recent: 3, distanceDecay: 0.8 });

async function fitTiny(params: Partial<SequentialParams> = {}): Promise<SequentialModel> {
  const model = new SequentialModel(sequentialDefinition.parseParams(params));
  await model.fit(tinyRatings(), ctx);
  return model;
}

const row = (...items: number[]) => ({ indices: Int32Array.from(items), values: new Float32Array(items.length).fill(1) });

// tinyRatings sequences: u1 i1 -> i2; u2 i3 -> i1; u3 i2 -> i3 -> i4.
// window 3, decay 0.5: i1 -> {i2: 1}; i2 -> {i3: 1, i4: 0.5} = {2/3, 1/3}; i3 -> {i1: 1, i4: 1} = {1/2, 1/2}
describe('sequential on tinyRatings, checked by hand', () => {
  it('ranks by transition probability from the latest item, scaled to a maximum of 1', async () => {
    const m = await fitTiny({ cooccurrence: 0 });
    expect(m.recommend({ user: row(1), k: 5 })).toEqual([
      { index: 2, score: expect.closeTo(1, 5) },
      { index: 3, score: expect.closeTo(0.5, 5) },
    ]);
    // with i1 before i2, i1's successor i2 (0.7 * 1) sets the maximum even when excluded from the list
    expect(m.recommend({ user: row(0, 1), k: 5, exclude: Int32Array.of(0, 1) })).toEqual([
      { index: 2, score: expect.closeTo(2 / 3 / 0.7, 5) },
      { index: 3, score: expect.closeTo(1 / 3 / 0.7, 5) },
    ]);
  });

  it('decays older recent items by recencyDecay^m (u3: i4, i3, i2 with weights 1, 0.7, 0.49)', async () => {
    const m = await fitTiny({ cooccurrence: 0 });
    // next: i1 = 0.7 * 1/2, i3 = 0.49 * 2/3, i4 = 0.7 * 1/2 + 0.49 * 1/3
    const i4 = 0.35 + 0.49 / 3;
    expect(m.recommend({ user: 2, k: 5 })).toEqual([
      { index: 3, score: expect.closeTo(1, 5) },
      { index: 0, score: expect.closeTo(0.35 / i4, 5) },
      { index: 2, score: expect.closeTo((0.49 * 2) / 3 / i4, 5) },
    ]);
  });

  it('window 1 only counts direct successors', async () => {
    const m = await fitTiny({ cooccurrence: 0, window: 1 });
    expect(m.recommend({ user: row(1), k: 5 })).toEqual([{ index: 2, score: expect.closeTo(1, 5) }]);
  });

  it('blends in item co-occurrence (cosine) as a share of the score', async () => {
    const m = await fitTiny({ cooccurrence: 0.3 });
    // from i2: next = {i3: 1, i4: 0.5} after scaling; cosine row of i2 = {i1: 2/√10, i3: 1/√20, i4: 1/√2} / (1/√2)
    const top = m.recommend({ user: row(1), k: 5 });
    expect(top.map((s) => s.index)).toEqual([2, 3, 0]);
    expect(top[0].score).toBeCloseTo(0.7 + 0.3 * (Math.sqrt(2) / Math.sqrt(20)), 5);
    expect(top[1].score).toBeCloseTo(0.7 * 0.5 + 0.3, 5);
    expect(top[2].score).toBeCloseTo(0.3 * ((2 / Math.sqrt(10)) * Math.sqrt(2)), 5);
  });

  it('explains with the recent items the item often came after; contributions add up to the score', async () => {
    const m = await fitTiny({ cooccurrence: 0 });
    const why = m.explain(2, 3);
    expect(why.map((c) => c.item)).toEqual([2, 1]);
    const i4 = 0.35 + 0.49 / 3;
    expect(why[0].weight).toBeCloseTo(0.35 / i4, 5);
    expect(why[1].weight).toBeCloseTo(0.49 / 3 / i4, 5);
    const blended = await fitTiny();
    const score = blended.recommend({ user: 2, k: 1, candidates: Int32Array.of(0) })[0].score;
    expect(blended.explain(2, 0).reduce((s, c) => s + c.weight, 0)).toBeCloseTo(score, 5);
  });

  it('reads the most recent distinct items from the end of a sequence', () => {
    expect(recentDistinct(Int32Array.of(1, 2, 1, 3), 2)).toEqual([3, 1]);
    expect(recentDistinct([4, 4, 4], 3)).toEqual([4]);
  });
});

const ml100k = testDataset('ml-100k');

describe('sequential on MovieLens 100K', () => {
  it.skipIf(!ml100k)('predicts each user\'s latest film better than popularity and item-kNN (NDCG@10)', async () => {
    const holdout = movieLens100kHoldout(ml100k!, { pick: 'last', fraction: 0 }); // exactly one (the latest) per user
    const quality = async (model: { fit: SequentialModel['fit'] } & Parameters<typeof evaluateTopK>[0]) => {
      await model.fit(holdout.train, ctx);
      return evaluateTopK(model, holdout, 10);
    };
    const popular = await quality(popularDefinition.create(popularDefinition.defaults));
    const itemKnn = await quality(itemKnnDefinition.create(itemKnnDefinition.defaults));
    const sequential = await quality(sequentialDefinition.create(sequentialDefinition.defaults));
    expect(sequential.users).toBe(943);
    expect(sequential.ndcg).toBeGreaterThan(popular.ndcg * 1.5);
    expect(sequential.ndcg).toBeGreaterThan(itemKnn.ndcg);
  });
});
