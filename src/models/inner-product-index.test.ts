import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { testDataset } from '../testkit/datasets.js';
import { movieLens100kHoldout } from '../testkit/quick-eval.js';
import { alsDefinition, type AlsModel } from './als/als.js';
import { bprDefinition, type BprModel } from './bpr/bpr.js';
import { InnerProductIndex } from './inner-product-index.js';
import { topByFactors } from './linalg/factor-similarity.js';
import { mulberry32 } from './linalg/random.js';
import type { ItemFactorTable } from './model.js';

/** Clustered factors with norms spread over a factor of ~10 (the skew that breaks a plain cosine search). */
function clusteredTable(items: number, stride: number, withBias: boolean, seed: number): ItemFactorTable {
  const random = mulberry32(seed);
  const centres = Array.from({ length: 20 }, () => Float32Array.from({ length: stride }, () => random() * 2 - 1));
  const factors = new Float32Array(items * stride);
  for (let i = 0; i < items; i++) {
    const c = centres[i % centres.length];
    const scale = 0.2 + 2 * random();
    for (let a = 0; a < stride; a++) factors[i * stride + a] = scale * (c[a] + 0.5 * (random() * 2 - 1));
  }
  const bias = withBias ? Float32Array.from({ length: items }, () => random() - 0.5) : undefined;
  return { factors, stride, items, ...(bias ? { bias } : {}) };
}

function recallAgainstExact(table: ItemFactorTable, index: InnerProductIndex, queries: Float32Array[], exclude: (q: number) => Int32Array): number {
  let hits = 0;
  for (const [q, x] of queries.entries()) {
    const truth = new Set(topByFactors(x, table.factors, table.stride, table.items, { k: 10, exclude: exclude(q) }, table.bias).map((s) => s.index));
    for (const s of index.topK(x, 10, exclude(q))) if (truth.has(s.index)) hits++;
  }
  return hits / (10 * queries.length);
}

describe('InnerProductIndex (HNSW over the MIPS-transformed item factors)', () => {
  const random = mulberry32(3);
  const queries = Array.from({ length: 100 }, () => Float32Array.from({ length: 16 }, () => random() * 2 - 1));

  it('finds nearly the exact top-10 by inner product, with and without item biases', () => {
    for (const withBias of [false, true]) {
      const table = clusteredTable(3000, 16, withBias, withBias ? 2 : 1);
      const index = InnerProductIndex.build(table);
      expect(recallAgainstExact(table, index, queries, () => new Int32Array(0))).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('returns exact scores, best first, and never an excluded item (over-fetched or filtered)', () => {
    const table = clusteredTable(3000, 16, true, 4);
    for (const overFetchExclusions of [1024, 0]) {
      const index = InnerProductIndex.build(table, { overFetchExclusions });
      for (const x of queries.slice(0, 20)) {
        // exclude the exact top-30, so the answer must come from further down the list
        const exclude = Int32Array.from(topByFactors(x, table.factors, table.stride, table.items, { k: 30 }, table.bias).map((s) => s.index));
        const top = index.topK(x, 10, exclude);
        expect(top).toHaveLength(10);
        const banned = new Set(exclude);
        for (const s of top) expect(banned.has(s.index)).toBe(false);
        const exact = topByFactors(x, table.factors, table.stride, table.items, { k: 10, exclude }, table.bias);
        const exactScore = new Map(exact.map((s) => [s.index, s.score]));
        for (let j = 1; j < top.length; j++) expect(top[j - 1].score).toBeGreaterThanOrEqual(top[j].score);
        for (const s of top) if (exactScore.has(s.index)) expect(s.score).toBeCloseTo(exactScore.get(s.index) ?? Number.NaN, 4);
      }
      expect(recallAgainstExact(table, index, queries, () => Int32Array.from({ length: 50 }, (_, j) => j * 7))).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('answers a zero query exactly (no direction to search in), and caps k at the catalogue', () => {
    const table = clusteredTable(40, 8, true, 5);
    const index = InnerProductIndex.build(table);
    const zero = new Float32Array(8);
    expect(index.topK(zero, 5)).toEqual(topByFactors(zero, table.factors, table.stride, table.items, { k: 5 }, table.bias));
    expect(index.topK(queries[0].subarray(0, 8), 100)).toHaveLength(40);
  });

  it('builds in the background in slices, and gives up when aborted', async () => {
    const table = clusteredTable(2000, 16, false, 6);
    const index = await InnerProductIndex.buildInBackground(table, {}, { sliceMs: 2 });
    expect(index && recallAgainstExact(table, index, queries, () => new Int32Array(0))).toBeGreaterThanOrEqual(0.95);
    const controller = new AbortController();
    controller.abort();
    expect(await InnerProductIndex.buildInBackground(table, {}, { signal: controller.signal })).toBeUndefined();
  });
});

const ml100k = testDataset('ml-100k');

describe('factor models served through the index', () => {
  const ctx = { logger: silentLogger, clock: fixedClock(0), seed: 7, threads: 1 };

  it.skipIf(!ml100k)('ALS and BPR recall through it with high recall, respect exclusions, and rank candidates exactly', async () => {
    const { train } = movieLens100kHoldout(ml100k ?? '', { seed: 11 });
    const models = [
      alsDefinition.create(alsDefinition.parseParams({ factors: 32, iterations: 8 })) as AlsModel,
      bprDefinition.create(bprDefinition.parseParams({ factors: 32, iterations: 10 })) as BprModel,
    ];
    for (const model of models) {
      await model.fit(train, ctx);
      const exactTop = (u: number) => model.recommend({ user: u, k: 10, exclude: train.matrix.rowIndices(u) });
      const users = Array.from({ length: 100 }, (_, j) => j * 9);
      const before = users.map(exactTop);
      const candidates = Int32Array.from({ length: 200 }, (_, j) => j * 3);
      const rankedBefore = model.recommend({ user: 5, k: 10, candidates });

      model.serveThrough(InnerProductIndex.build(model.itemFactorTable()));
      let hits = 0;
      users.forEach((u, q) => {
        const truth = new Set(before[q].map((s) => s.index));
        const history = new Set(train.matrix.rowIndices(u));
        const served = exactTop(u);
        expect(served).toHaveLength(10);
        for (const s of served) {
          expect(history.has(s.index)).toBe(false);
          if (truth.has(s.index)) hits++;
        }
      });
      expect(hits / 1000).toBeGreaterThanOrEqual(0.95);
      expect(model.recommend({ user: 5, k: 10, candidates })).toEqual(rankedBefore);
      // a copy without one user's rows keeps serving through the same index
      expect(model.withoutUserRows(0).recommend({ user: 9, k: 10, exclude: train.matrix.rowIndices(9) })).toEqual(exactTop(9));

      const other = InnerProductIndex.build({ ...model.itemFactorTable(), items: 10 });
      expect(() => model.serveThrough(other)).toThrow(/covers 10 items/);
      model.serveThrough(undefined);
      expect(exactTop(users[3])).toEqual(before[3]);
    }
  });
});
