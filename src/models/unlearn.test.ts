import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import type { InteractionMatrix } from '../core/interactions.js';
import { silentLogger } from '../core/logger.js';
import { testDataset } from '../testkit/datasets.js';
import { alsDefinition } from './als/als.js';
import { bprDefinition } from './bpr/bpr.js';
import { easeDefinition } from './ease/ease.js';
import { InteractionsBuilder } from './interactions-builder.js';
import { itemKnnDefinition } from './itemknn/itemknn.js';
import { hasUnlearn, hasUserRowsRemoval, type Model } from './model.js';
import { popularDefinition } from './popular/popular.js';
import { semanticDefinition } from './semantic/semantic.js';
import { sequentialDefinition } from './sequential/sequential.js';
import { transformerDefinition } from './transformer/transformer.js';
import { userKnnDefinition } from './userknn/userknn.js';

const NOW = Date.UTC(2024, 1, 1);
const DAY = 86_400_000;
const ctx = { logger: silentLogger, clock: fixedClock(NOW), threads: 1 };
const ml100k = testDataset('ml-100k');

type Cell = [user: string, item: string, weight: number, daysAgo: number];

/** The same catalogue with and without one user (the user list keeps everyone else's order, as a store scan would). */
function dataWithAndWithout(cells: Cell[], erased: string, items: string[]): { full: InteractionMatrix; reduced: InteractionMatrix } {
  const build = (keep: (c: Cell) => boolean) => {
    const b = new InteractionsBuilder({ items });
    for (const c of cells) if (keep(c)) b.add(c[0], c[1], c[2], NOW - c[3] * DAY);
    return b.build();
  };
  return { full: build(() => true), reduced: build((c) => c[0] !== erased) };
}

/** Forgets `erased` in a model fitted on `full`, and fits the same params on `reduced`. */
async function forgottenAndRefit(create: () => Model<object>, full: InteractionMatrix, reduced: InteractionMatrix, erased: string) {
  const trained = create();
  await trained.fit(full, ctx);
  if (!hasUnlearn(trained)) throw new Error(`${trained.name} cannot unlearn`);
  const user = full.users.indexOf(erased)!;
  const row = { indices: full.matrix.rowIndices(user), values: full.matrix.rowData(user) };
  const times = full.times!.subarray(full.matrix.indptr[user], full.matrix.indptr[user + 1]);
  const outcome = await trained.forgetUser({ user, row, times });
  if ('retrain' in outcome) throw new Error(outcome.retrain);
  const refit = create();
  await refit.fit(reduced, ctx);
  return { forgotten: outcome.model, refit, trained };
}

/** Every remaining user's top-k from both models (the forgotten model by full-data index, the refit by reduced index). */
function expectSameLists(forgotten: Model<object>, refit: Model<object>, full: InteractionMatrix, reduced: InteractionMatrix, k: number, tolerance: number) {
  let compared = 0;
  for (const id of reduced.users.ids()) {
    const a = forgotten.recommend({ user: full.users.indexOf(id)!, k });
    const b = refit.recommend({ user: reduced.users.indexOf(id)!, k });
    expect(a.map((s) => s.index), id).toEqual(b.map((s) => s.index));
    a.forEach((s, j) => expect(Math.abs(s.score - b[j].score)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(b[j].score))));
    compared++;
  }
  return compared;
}

// u0 {0,1}, u1 {0,1,2}, u2 {1,2}, u3 {2,3}: forgetting u1 leaves item vectors 0={u0} 1={u0,u2} 2={u2,u3} 3={u3}
const TINY: Cell[] = [
  ['u0', 'i0', 1, 1], ['u0', 'i1', 1, 2],
  ['u1', 'i0', 1, 3], ['u1', 'i1', 1, 4], ['u1', 'i2', 1, 5],
  ['u2', 'i1', 1, 6], ['u2', 'i2', 1, 7],
  ['u3', 'i2', 1, 8], ['u3', 'i3', 1, 9],
];
const TINY_ITEMS = ['i0', 'i1', 'i2', 'i3'];

describe('forgetUser on hand-checkable data', () => {
  it('item-kNN: cosine similarities without the user, as computed by hand and by a refit', async () => {
    const { full, reduced } = dataWithAndWithout(TINY, 'u1', TINY_ITEMS);
    const { forgotten, refit } = await forgottenAndRefit(() => itemKnnDefinition.create(itemKnnDefinition.parseParams({})), full, reduced, 'u1');
    const sims = (m: Model<object>, item: number) => (m as unknown as { similarItems(i: number, k: number): Array<{ index: number; score: number }> }).similarItems(item, 5);
    // sim(0,1) = 1/(1·√2), sim(1,2) = 1/(√2·√2), sim(2,3) = 1/(√2·1); items 0 and 2 no longer share a user
    expect(sims(forgotten, 1).map((s) => [s.index, Number(s.score.toFixed(4))])).toEqual([[0, 0.7071], [2, 0.5]]);
    expect(sims(forgotten, 0).map((s) => s.index)).toEqual([1]);
    expect(sims(forgotten, 2).map((s) => [s.index, Number(s.score.toFixed(4))])).toEqual([[3, 0.7071], [1, 0.5]]);
    for (let i = 0; i < 4; i++) expect(sims(forgotten, i)).toEqual(sims(refit, i));
    // the forgotten user's row is empty: by index they get nothing
    expect(forgotten.recommend({ user: full.users.indexOf('u1')!, k: 3 })).toEqual([]);
  });

  it('popularity: counts (and decayed weights) lose exactly the user\'s cells', async () => {
    const { full, reduced } = dataWithAndWithout(TINY, 'u1', TINY_ITEMS);
    const counts = await forgottenAndRefit(() => popularDefinition.create(popularDefinition.parseParams({})), full, reduced, 'u1');
    const scores = (m: Model<object>) => m.recommend({ user: 0, k: 4, candidates: Int32Array.from([0, 1, 2, 3]) }).sort((a, b) => a.index - b.index).map((s) => s.score);
    expect(scores(counts.trained)).toEqual([2, 3, 3, 1]);
    expect(scores(counts.forgotten)).toEqual([1, 2, 2, 1]);
    expect(scores(counts.refit)).toEqual([1, 2, 2, 1]);
    // half-life 2 days: item 0 keeps u0's cell from 1 day ago, 0.5^(1/2)
    const decayed = await forgottenAndRefit(() => popularDefinition.create(popularDefinition.parseParams({ halfLifeDays: 2 })), full, reduced, 'u1');
    expect(scores(decayed.forgotten)[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(scores(decayed.forgotten)).toEqual(scores(decayed.refit));
  });

  it('EASE: the Sherman–Morrison downdate equals solving again without the user', async () => {
    const { full, reduced } = dataWithAndWithout(TINY, 'u1', TINY_ITEMS);
    const params = easeDefinition.parseParams({ lambda: 0.5, precision: 'float64' });
    const { forgotten, refit } = await forgottenAndRefit(() => easeDefinition.create(params), full, reduced, 'u1');
    const all = Int32Array.from([0, 1, 2, 3]);
    for (const id of ['u0', 'u2', 'u3']) {
      const a = forgotten.recommend({ user: full.users.indexOf(id)!, k: 4, candidates: all });
      const b = refit.recommend({ user: reduced.users.indexOf(id)!, k: 4, candidates: all });
      expect(a.map((s) => s.index)).toEqual(b.map((s) => s.index));
      a.forEach((s, j) => expect(s.score).toBeCloseTo(b[j].score, 5));
    }
  });

  it('EASE: an item only the user had leaves the model, as a refit leaves it out', async () => {
    const cells: Cell[] = [...TINY, ['u1', 'i4', 1, 1]];
    const { full, reduced } = dataWithAndWithout(cells, 'u1', [...TINY_ITEMS, 'i4']);
    const { forgotten, refit } = await forgottenAndRefit(() => easeDefinition.create(easeDefinition.parseParams({ lambda: 0.5, precision: 'float64' })), full, reduced, 'u1');
    expect(forgotten.save().arrays.items).toEqual(Int32Array.from([0, 1, 2, 3]));
    expect(forgotten.save().arrays.items).toEqual(refit.save().arrays.items);
  });

  it('semantic: only the user\'s stored history goes; item vectors do not depend on users', async () => {
    const { full, reduced } = dataWithAndWithout(TINY, 'u1', TINY_ITEMS);
    const content = { embeddings: Float32Array.from([1, 0, 0, 0.9, 0.1, 0, 0, 1, 0, 0, 0.2, 1]), dimensions: 3 };
    const fit = async (data: InteractionMatrix) => {
      const m = semanticDefinition.create(semanticDefinition.parseParams({}));
      await m.fit(data, { ...ctx, content });
      return m;
    };
    const trained = await fit(full);
    if (!hasUnlearn(trained)) throw new Error('semantic cannot unlearn');
    const outcome = await trained.forgetUser({ user: 1, row: { indices: full.matrix.rowIndices(1), values: full.matrix.rowData(1) } });
    if ('retrain' in outcome) throw new Error(outcome.retrain);
    expect(trained.recommend({ user: 1, k: 3 }).length).toBeGreaterThan(0);
    expect(outcome.model.recommend({ user: 1, k: 3 })).toEqual([]);
    expectSameLists(outcome.model, await fit(reduced), full, reduced, 3, 0);
  });

  it('ALS and BPR keep their item side but drop the user\'s own rows (factors and training row)', async () => {
    const { full } = dataWithAndWithout(TINY, 'u1', TINY_ITEMS);
    for (const model of [alsDefinition.create(alsDefinition.parseParams({ factors: 4, iterations: 3 })), bprDefinition.create(bprDefinition.parseParams({ factors: 4 }))]) {
      await model.fit(full, { ...ctx, seed: 5 });
      if (!hasUserRowsRemoval(model) || hasUnlearn(model)) throw new Error(`${model.name}: expected rows removal only`);
      const dropped = model.withoutUserRows(1);
      const before = model.save().arrays;
      const after = dropped.save().arrays;
      const stride = (after.userFactors.length / 4) | 0;
      expect(Array.from(after.userFactors.subarray(stride, 2 * stride)).every((v) => v === 0), model.name).toBe(true);
      expect(after.userFactors.subarray(0, stride)).toEqual(before.userFactors.subarray(0, stride));
      expect(after.itemFactors).toEqual(before.itemFactors);
      expect(after.userIndptr[2] - after.userIndptr[1]).toBe(0);
      for (const u of [0, 2, 3]) expect(dropped.recommend({ user: u, k: 3 })).toEqual(model.recommend({ user: u, k: 3 }));
    }
  });

  it('sequential drops the user\'s recent items and keeps its transitions', async () => {
    const { full } = dataWithAndWithout(TINY, 'u1', TINY_ITEMS);
    const model = sequentialDefinition.create(sequentialDefinition.parseParams({}));
    await model.fit(full, ctx);
    if (!hasUserRowsRemoval(model)) throw new Error('sequential cannot drop user rows');
    const dropped = model.withoutUserRows(1);
    const { recentIndptr, nextData } = dropped.save().arrays;
    expect(recentIndptr[2] - recentIndptr[1]).toBe(0);
    expect(nextData).toEqual(model.save().arrays.nextData);
    expect(model.recommend({ user: 1, k: 3 }).length).toBeGreaterThan(0);
    expect(dropped.recommend({ user: 1, k: 3 })).toEqual([]);
    for (const u of [0, 2, 3]) expect(dropped.recommend({ user: u, k: 3 })).toEqual(model.recommend({ user: u, k: 3 }));
  });

  it('transformer drops the user\'s recent items and keeps its weights', async () => {
    const { full } = dataWithAndWithout(TINY, 'u1', TINY_ITEMS);
    const model = transformerDefinition.create(transformerDefinition.parseParams({ epochs: 2, width: 8, heads: 1, blocks: 1, maxLength: 4, batchSize: 4 }));
    await model.fit(full, ctx);
    if (!hasUserRowsRemoval(model)) throw new Error('transformer cannot drop user rows');
    const dropped = model.withoutUserRows(1);
    const { recentPtr } = dropped.save().arrays;
    expect(recentPtr[2] - recentPtr[1]).toBe(0);
    expect(model.recommend({ user: 1, k: 3 }).length).toBeGreaterThan(0);
    expect(dropped.recommend({ user: 1, k: 3 })).toEqual([]);
    for (const u of [0, 2, 3]) expect(dropped.recommend({ user: u, k: 3 })).toEqual(model.recommend({ user: u, k: 3 }));
  });

  it('answers retrain, never a wrong model, where exact removal does not hold', async () => {
    const { full } = dataWithAndWithout(TINY, 'u1', TINY_ITEMS);
    const row = { indices: full.matrix.rowIndices(1), values: full.matrix.rowData(1) };
    const cases: Array<[Model<object>, RegExp]> = [
      [easeDefinition.create(easeDefinition.parseParams({ lambda: 1, dropout: 0.2 })), /dropout/],
      [easeDefinition.create(easeDefinition.parseParams({ lambda: 1, userNorm: 0.5 })), /userNorm/],
      [popularDefinition.create(popularDefinition.parseParams({ halfLifeDays: 3 })), /times/],
      [itemKnnDefinition.create(itemKnnDefinition.parseParams({ dpEpsilon: 2 })), /noise accounting/],
    ];
    for (const [model, reason] of cases) {
      await model.fit(full, { ...ctx, seed: 3 });
      if (!hasUnlearn(model)) throw new Error('no unlearn');
      const outcome = await model.forgetUser({ user: 1, row }); // no times given
      expect('retrain' in outcome && outcome.retrain).toMatch(reason);
    }
  });
});

/** ml-100k users 1..250 on items 1..700 (about 20k ratings): big enough for real structure, small for EASE. */
function ml100kSlice(dir: string): { cells: Cell[]; items: string[] } {
  const cells: Cell[] = [];
  for (const line of readFileSync(join(dir, 'u.data'), 'utf8').split('\n')) {
    const [user, item, rating, seconds] = line.split('\t');
    if (!line || Number(user) > 250 || Number(item) > 700) continue;
    cells.push([user, item, Number(rating), (NOW - Number(seconds) * 1000) / DAY]);
  }
  return { cells, items: Array.from({ length: 700 }, (_, i) => String(i + 1)) };
}

describe('forgetUser on a slice of MovieLens 100K equals a refit without the user', () => {
  it.skipIf(!ml100k)('item-kNN (cosine, TF-IDF, BM25 with shrinkage): identical lists and scores for every other user', async () => {
    const { cells, items } = ml100kSlice(ml100k!);
    const { full, reduced } = dataWithAndWithout(cells, '13', items); // user 13: a heavy rater
    for (const params of [{}, { weighting: 'tfidf', neighbors: 20 }, { weighting: 'bm25', shrink: 10, neighbors: 30, prune: 'history' }]) {
      const { forgotten, refit } = await forgottenAndRefit(() => itemKnnDefinition.create(itemKnnDefinition.parseParams(params)), full, reduced, '13');
      expect(expectSameLists(forgotten, refit, full, reduced, 10, 0)).toBe(249);
      for (const key of ['simIndptr', 'simIndices', 'simData']) expect(forgotten.save().arrays[key], key).toEqual(refit.save().arrays[key]);
    }
  });

  it.skipIf(!ml100k)('item-kNN: the same similarity matrix as a refit, bit for bit, whoever is forgotten', async () => {
    const { cells, items } = ml100kSlice(ml100k!);
    for (const erased of ['7', '42', '201']) { // a heavy, a medium and a light rater
      const { full, reduced } = dataWithAndWithout(cells, erased, items);
      const { forgotten, refit } = await forgottenAndRefit(() => itemKnnDefinition.create(itemKnnDefinition.parseParams({ neighbors: 30, shrink: 2 })), full, reduced, erased);
      for (const key of ['simIndptr', 'simIndices', 'simData']) expect(forgotten.save().arrays[key], `${erased} ${key}`).toEqual(refit.save().arrays[key]);
    }
  });

  it.skipIf(!ml100k)('user-kNN (with shrinkage): identical lists and scores for every other user', async () => {
    const { cells, items } = ml100kSlice(ml100k!);
    const { full, reduced } = dataWithAndWithout(cells, '13', items);
    const create = () => userKnnDefinition.create(userKnnDefinition.parseParams({ neighbors: 30, shrink: 5 }));
    const { forgotten, refit } = await forgottenAndRefit(create, full, reduced, '13');
    expect(expectSameLists(forgotten, refit, full, reduced, 10, 0)).toBe(249);
  });

  it.skipIf(!ml100k)('EASE (fixed λ): the same top-10 for every other user, scores within float rounding', async () => {
    const { cells, items } = ml100kSlice(ml100k!);
    const { full, reduced } = dataWithAndWithout(cells, '13', items);
    for (const precision of ['float64', 'float32']) {
      const create = () => easeDefinition.create(easeDefinition.parseParams({ lambda: 200, precision }));
      const { forgotten, refit } = await forgottenAndRefit(create, full, reduced, '13');
      expect(expectSameLists(forgotten, refit, full, reduced, 10, 1e-4)).toBe(249);
    }
  });

  it.skipIf(!ml100k)('popularity (summed weights, 30-day half-life): identical lists', async () => {
    const { cells, items } = ml100kSlice(ml100k!);
    const { full, reduced } = dataWithAndWithout(cells, '13', items);
    const create = () => popularDefinition.create(popularDefinition.parseParams({ measure: 'weight', halfLifeDays: 30 }));
    const { forgotten, refit } = await forgottenAndRefit(create, full, reduced, '13');
    expect(forgotten.recommend({ user: 0, k: 50 })).toEqual(refit.recommend({ user: 0, k: 50 }));
  });
});
