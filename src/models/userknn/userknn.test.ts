import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { testDataset } from '../../testkit/datasets.js';
import { FIXTURE_EPOCH_MS, tinyRatings } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { evaluateTopK, movieLens100kHoldout } from '../../testkit/quick-eval.js';
import { popularDefinition } from '../popular/popular.js';
import { userKnnDefinition, UserKnnModel, type UserKnnParams } from './userknn.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS) };

modelConformanceSuite(userKnnDefinition);
modelConformanceSuite(userKnnDefinition, { neighbors: 3, shrink: 2 });

async function fitTiny(params: Partial<UserKnnParams> = {}): Promise<UserKnnModel> {
  const model = new UserKnnModel(userKnnDefinition.parseParams(params));
  await model.fit(tinyRatings(), ctx);
  return model;
}

// tinyRatings users: u1 = (2, 1, 0, 0), u2 = (1, 0, 3, 0), u3 = (0, 1, 1, 2); norms √5, √10, √6
describe('userknn on tinyRatings, checked by hand', () => {
  it('folds a history into cosine similarities to every user', async () => {
    const m = await fitTiny();
    const v = m.userVector({ indices: Int32Array.of(0), values: Float32Array.of(3) }); // only i1
    expect(v[0]).toBeCloseTo(2 / Math.sqrt(5), 6);
    expect(v[1]).toBeCloseTo(1 / Math.sqrt(10), 6);
    expect(v[2]).toBe(0);
    const u1 = m.userVector({ indices: Int32Array.of(0, 1), values: Float32Array.of(2, 1) });
    expect(u1[1]).toBeCloseTo(2 / Math.sqrt(50), 6);
    expect(u1[2]).toBeCloseTo(1 / Math.sqrt(30), 6);
  });

  it('scores Σ sim(u, v) * weight(v, j) over the neighbours, never the user itself', async () => {
    const m = await fitTiny();
    const top = m.recommend({ user: 0, k: 5, exclude: Int32Array.of(0, 1) });
    expect(top.map((s) => s.index)).toEqual([2, 3]);
    expect(top[0].score).toBeCloseTo((2 / Math.sqrt(50)) * 3 + 1 / Math.sqrt(30), 5);
    expect(top[1].score).toBeCloseTo((1 / Math.sqrt(30)) * 2, 5);
    // without exclusions, u1's own items are scored only through neighbours: i1 via u2 (weight 1), i2 via u3
    const all = m.recommend({ user: 0, k: 5, candidates: Int32Array.of(0) });
    expect(all[0].score).toBeCloseTo(2 / Math.sqrt(50), 5);
  });

  it('keeps only the top neighbours and shrinks thinly supported similarities', async () => {
    const one = await fitTiny({ neighbors: 1 });
    expect(one.recommend({ user: 0, k: 5, exclude: Int32Array.of(0, 1) })).toEqual([{ index: 2, score: expect.closeTo((2 / Math.sqrt(50)) * 3, 5) }]);
    const shrunk = await fitTiny({ shrink: 1 });
    const v = shrunk.userVector({ indices: Int32Array.of(0, 1), values: Float32Array.of(2, 1) });
    expect(v[1]).toBeCloseTo(2 / Math.sqrt(50) / 2, 6); // one common item: n / (n + 1) = 1/2
  });
});

const ml100k = testDataset('ml-100k');

describe('userknn on MovieLens 100K', () => {
  it.skipIf(!ml100k)('beats popularity on a per-user random holdout (NDCG@10)', async () => {
    const holdout = movieLens100kHoldout(ml100k!, { seed: 7 });
    const popular = popularDefinition.create(popularDefinition.defaults);
    await popular.fit(holdout.train, ctx);
    const model = userKnnDefinition.create(userKnnDefinition.defaults);
    await model.fit(holdout.train, ctx);
    const baseline = evaluateTopK(popular, holdout, 10);
    const quality = evaluateTopK(model, holdout, 10);
    expect(quality.ndcg).toBeGreaterThan(baseline.ndcg * 1.15);
    expect(quality.hitRate).toBeGreaterThan(baseline.hitRate);
  });
});
