import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { testDataset } from '../../testkit/datasets.js';
import { checkerboard, FIXTURE_EPOCH_MS, userRow } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { evaluateTopK, movieLens100kHoldout } from '../../testkit/quick-eval.js';
import { popularDefinition } from '../popular/popular.js';
import { alsDefinition, type AlsModel } from './als.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS), seed: 5 };

modelConformanceSuite(alsDefinition, { factors: 16, iterations: 10 });
modelConformanceSuite(alsDefinition, { factors: 13, iterations: 8, cgSteps: 2, alpha: 2 }, { fitContext: { threads: 1 } });

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe('ALS fit control', () => {
  it('stops with CANCELLED when aborted between iterations, leaving no worker behind', async () => {
    const controller = new AbortController();
    const model = alsDefinition.create(alsDefinition.parseParams({ factors: 8, iterations: 50 }));
    const seen: number[] = [];
    const fit = model.fit(checkerboard().data, {
      ...ctx,
      threads: 2,
      signal: controller.signal,
      onProgress: (done) => {
        seen.push(done);
        if (done === 3) controller.abort();
      },
    });
    await expect(fit).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toEqual([1, 2, 3]);
    expect(() => model.recommend({ user: 0, k: 1 })).toThrow(expect.objectContaining({ code: 'NOT_TRAINED' }));
  });
});

describe('ALS fold-in reuse across interleaved rows', () => {
  it('explains each row by its own system when other rows were folded in between, also past the rows it keeps', async () => {
    const { data } = checkerboard();
    const als = alsDefinition.create(alsDefinition.parseParams({ factors: 8, iterations: 10 })) as AlsModel;
    await als.fit(data, ctx);
    const rows = Array.from({ length: 80 }, (_, i) => userRow(data, i % data.users.size));
    const tops = rows.map((row) => als.recommend({ user: row, k: 1, exclude: row.indices })[0]);
    // the first rows' folds were dropped (at most 64 kept at 8 factors) and the last ones are kept: both explain exactly
    for (const i of [0, 1, 40, 78, 79]) {
      const why = als.explain(rows[i], tops[i].index);
      expect(why.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(tops[i].score, 4);
      expect(new Set(why.map((c) => c.item))).toEqual(new Set(rows[i].indices));
    }
  });
});

const ml100k = testDataset('ml-100k');

describe('ALS on MovieLens 100K', () => {
  it.skipIf(!ml100k)('decreases the loss, folds in like training, explains exactly, beats popularity', async () => {
    const holdout = movieLens100kHoldout(ml100k!, { seed: 11 });
    const als = alsDefinition.create(alsDefinition.parseParams({ factors: 32, iterations: 12 })) as AlsModel;
    const report = await als.fit(holdout.train, { ...ctx, threads: 2 });
    const losses = report.losses as number[];
    expect(losses).toHaveLength(12);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThanOrEqual(losses[i - 1] * (1 + 1e-6));
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);

    // a user whose history equals a training row folds in to (nearly) the trained vector
    const stride = (als.save().meta.stride as number);
    const userFactors = als.save().arrays.userFactors as Float32Array;
    for (const u of [0, 10, 200, 500, 900]) {
      const folded = als.userVector(userRow(holdout.train, u));
      expect(cosine(folded, userFactors.subarray(u * stride, u * stride + 32))).toBeGreaterThan(0.99);
    }

    // contributions sum to the folded-in score of the item
    const row = userRow(holdout.train, 42);
    const top = als.recommend({ user: row, k: 1, exclude: row.indices })[0];
    const why = als.explain(row, top.index);
    expect(why.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(top.score, 3);
    expect(new Set(why.map((c) => c.item))).toEqual(new Set(row.indices));
    // explain reused the system recommend factored for this row: a copy of the row (nothing to reuse) gives the same
    const fresh = als.explain({ indices: row.indices.slice(), values: row.values.slice() }, top.index);
    expect(fresh.map((c) => c.item)).toEqual(why.map((c) => c.item));
    fresh.forEach((c, j) => expect(c.weight).toBeCloseTo(why[j].weight, 6));

    const popular = popularDefinition.create(popularDefinition.parseParams({}));
    await popular.fit(holdout.train, ctx);
    const a = evaluateTopK(als, holdout, 10);
    const p = evaluateTopK(popular, holdout, 10);
    expect(a.ndcg).toBeGreaterThan(p.ndcg * 1.25);
  });
});
