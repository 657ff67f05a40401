import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { testDataset } from '../../testkit/datasets.js';
import { FIXTURE_EPOCH_MS, fromDense } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { evaluateTopK, movieLens100kHoldout } from '../../testkit/quick-eval.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { easeDefinition } from '../ease/ease.js';
import { itemKnnDefinition } from '../itemknn/itemknn.js';
import type { Model } from '../model.js';
import { resolveParams } from '../scaled-defaults.js';
import { fittedSizes, sparseEaseDefaultNeighbors, sparseEaseDefinition, type SparseEaseModel, type SparseEaseParams } from './sparse-ease.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS) };

modelConformanceSuite(sparseEaseDefinition, { lambda: 10 });
modelConformanceSuite(sparseEaseDefinition, { lambda: 50, binary: false, neighbors: 4, gramNeighbors: 8 }, { fitContext: { threads: 1 } });

async function fitSparse(rows: number[][], params: Partial<SparseEaseParams>, threads = 2): Promise<SparseEaseModel> {
  const model = sparseEaseDefinition.create(sparseEaseDefinition.parseParams(params)) as SparseEaseModel;
  await model.fit(fromDense(rows), { ...ctx, threads });
  return model;
}

/** Row `item` of B, read as the scores of a user whose only history is that item (NaN where nothing was scored). */
function weightRow(model: Model<object>, item: number, nItems: number): number[] {
  const candidates = Int32Array.from({ length: nItems }, (_, i) => i);
  const scored = model.recommend({ user: { indices: Int32Array.of(item), values: Float32Array.of(1) }, k: nItems, candidates });
  const row = new Array<number>(nItems).fill(Number.NaN);
  for (const s of scored) row[s.index] = s.score;
  return row;
}

function randomRows(users: number, items: number, density: number, seed: number): number[][] {
  let state = seed;
  const rand = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: users }, () => Array.from({ length: items }, () => (rand() < density ? 1 + Math.floor(rand() * 5) : 0)));
}

/** EASE by Gauss-Jordan inversion in float64: P = (XᵀX + λI)⁻¹, B_ij = -P_ij / P_jj, zero diagonal. */
function referenceEase(rows: number[][], lambda: number): number[][] {
  const n = rows[0].length;
  const m = Array.from({ length: n }, (_, i) => [
    ...Array.from({ length: n }, (_, j) => rows.reduce((s, r) => s + r[i] * r[j], 0) + (i === j ? lambda : 0)),
    ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  ]);
  for (let c = 0; c < n; c++) {
    const p = m[c][c]; // symmetric positive definite: no pivoting needed
    m[c] = m[c].map((v) => v / p);
    for (let r = 0; r < n; r++) if (r !== c) m[r] = m[r].map((v, j) => v - m[r][c] * m[c][j]);
  }
  const inv = m.map((r) => r.slice(n));
  return inv.map((r, i) => r.map((v, j) => (i === j ? 0 : -v / inv[j][j])));
}

describe('sparse EASE weights, checked by hand', () => {
  // X = [[1,1,0],[0,1,1],[1,1,1]], λ 1: with every other item in the support it is EASE, B = [[0,.5,0],[.5,0,.5],[0,.5,0]]
  it('is dense EASE when the support holds every other item', async () => {
    const model = await fitSparse([[1, 1, 0], [0, 1, 1], [1, 1, 1]], { lambda: 1 });
    const expected = [[0, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0]];
    for (let i = 0; i < 3; i++) weightRow(model, i, 3).forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 6));
  });

  it('matches an independent EASE closed form on a random 60 x 14 matrix, weighted and binary', async () => {
    // dense enough that every pair of items co-occurs: the support of a column is the items that co-occur with it
    const rows = randomRows(60, 14, 0.6, 7);
    for (const binary of [false, true]) {
      const sparse = await fitSparse(rows, { lambda: 3, binary });
      expect(sparse.save().arrays.weightsIndices.length).toBe(14 * 13);
      const expected = referenceEase(binary ? rows.map((r) => r.map((v) => (v > 0 ? 1 : 0))) : rows, 3);
      for (let i = 0; i < 14; i++) weightRow(sparse, i, 14).forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5));
    }
  });

  it('solves each column over its largest co-occurrences only: one neighbour gives G_ij / (G_ii + λ)', async () => {
    // X = [[1,1,0],[0,1,1],[1,1,1],[1,0,0]]: G = [[3,2,1],[2,3,2],[1,2,2]], λ 1. Column 0's largest neighbour is item 1
    // (2 > 1): B10 = 2 / (3 + 1); column 1's are items 0 and 2 (2 = 2, lower index first): B01 = 2 / (3 + 1);
    // column 2's is item 1: B12 = 2 / (3 + 1); every other weight is outside the supports
    const model = await fitSparse([[1, 1, 0], [0, 1, 1], [1, 1, 1], [1, 0, 0]], { lambda: 1, neighbors: 1, gramNeighbors: 1 });
    expect(weightRow(model, 1, 3)[0]).toBeCloseTo(0.5, 6);
    expect(weightRow(model, 0, 3)[1]).toBeCloseTo(0.5, 6);
    expect(weightRow(model, 1, 3)[2]).toBeCloseTo(0.5, 6);
    expect(weightRow(model, 2, 3)[0]).toBe(0);
    expect(weightRow(model, 2, 3)[1]).toBe(0);
    expect(weightRow(model, 0, 3)[2]).toBe(0);
  });

  it('explains a score as the B weights of the history items and lists similar items from rows of B', async () => {
    const model = await fitSparse([[1, 1, 0], [0, 1, 1], [1, 1, 1]], { lambda: 1 });
    const why = model.explain({ indices: Int32Array.of(0, 2), values: Float32Array.of(1, 1) }, 1);
    expect(why.map((c) => c.item)).toEqual([0, 2]);
    why.forEach((c) => expect(c.weight).toBeCloseTo(0.5, 6));
    expect(model.similarItems(1, 5).map((s) => s.index).sort()).toEqual([0, 2]);
  });

  it('leaves items without events out of the weights, scoring them 0 as candidates', async () => {
    const model = await fitSparse([[1, 1, 0, 0], [0, 1, 1, 0], [1, 1, 1, 0]], { lambda: 1 });
    const scored = model.recommend({ user: { indices: Int32Array.of(1), values: Float32Array.of(1) }, k: 4, candidates: Int32Array.of(0, 1, 2, 3) });
    expect(scored.find((s) => s.index === 3)?.score).toBe(0);
    expect(model.recommend({ user: { indices: Int32Array.of(0), values: Float32Array.of(1) }, k: 4 }).map((s) => s.index)).not.toContain(3);
  });

  it('gives identical weights on one and two worker threads', async () => {
    // 2,000 users x 200 items at 10 %: past the size where the fit starts workers
    const rows = randomRows(2_000, 200, 0.1, 3);
    const [one, two] = [await fitSparse(rows, { lambda: 5 }, 1), await fitSparse(rows, { lambda: 5 }, 2)];
    expect(two.save().arrays).toEqual(one.save().arrays);
  });

  it('saves and restores to the same model', async () => {
    const model = await fitSparse(randomRows(40, 12, 0.3, 5), { lambda: 2, neighbors: 4 });
    const restored = sparseEaseDefinition.restore(decodeArtifact(encodeArtifact(model.save())));
    expect(restored.save()).toEqual(model.save());
    for (const user of [0, 7, 39]) expect(restored.recommend({ user, k: 12 })).toEqual(model.recommend({ user, k: 12 }));
  });
});

describe('sparse EASE support by catalogue size', () => {
  it('holds items · neighbors³ near the 100k-item case, within 16..256, and lets explicit params win', () => {
    expect(sparseEaseDefaultNeighbors(100_000)).toBe(64);
    expect(sparseEaseDefaultNeighbors(12_500)).toBe(128);
    expect(sparseEaseDefaultNeighbors(500)).toBe(256);
    expect(sparseEaseDefaultNeighbors(50_000_000)).toBe(16);
    const shape = { users: 10, items: 12_500, interactions: 100, density: 0.1, meanItemCount: 1, interactionItemCount: 100, interactionItemWeight: 100, meanUserCount: 10 };
    const scaled = resolveParams(sparseEaseDefinition, {}, shape);
    expect(scaled.params).toMatchObject({ neighbors: 128, gramNeighbors: 512 });
    expect(scaled.sources).toMatchObject({ neighbors: 'scaled', gramNeighbors: 'scaled', lambda: 'scaled' });
    expect(resolveParams(sparseEaseDefinition, { neighbors: 20 }, shape).params).toMatchObject({ neighbors: 20, gramNeighbors: 80 });
  });
});

describe('sparse EASE memory budget', () => {
  it('keeps the asked neighbourhoods when they fit and scales both down together when not', () => {
    const asked = { neighbors: 64, gramNeighbors: 256, memoryBudgetMb: 1024 };
    expect(fittedSizes(asked, 100_000)).toEqual({ neighbors: 64, gramNeighbors: 256 });
    const big = fittedSizes(asked, 5_000_000);
    expect(8 * (big.neighbors + big.gramNeighbors) * 5_000_000).toBeLessThanOrEqual(1024 * 2 ** 20);
    expect(big.neighbors).toBeLessThan(64);
    expect(big.gramNeighbors).toBeGreaterThanOrEqual(big.neighbors);
  });

  it('reports the sizes it used and keeps at most neighbors weights per item', async () => {
    const rows = randomRows(300, 50, 0.3, 9);
    const model = sparseEaseDefinition.create(sparseEaseDefinition.parseParams({ lambda: 5, neighbors: 6, gramNeighbors: 12 }));
    const report = await model.fit(fromDense(rows), { ...ctx, threads: 1 });
    expect(report).toMatchObject({ neighbors: 6, gramNeighbors: 12 });
    expect(Number(report.weights)).toBeLessThanOrEqual(50 * 6);
  });
});

const ml100k = testDataset('ml-100k');

describe('sparse EASE on MovieLens 100K', () => {
  it.skipIf(!ml100k)('beats item-kNN on a per-user random holdout and stays near dense EASE', async () => {
    const holdout = movieLens100kHoldout(ml100k!, { seed: 3 });
    const fit = async (m: Model<object>) => {
      await m.fit(holdout.train, { ...ctx, threads: 2 });
      return evaluateTopK(m, holdout, 10);
    };
    const sparse = await fit(sparseEaseDefinition.create(sparseEaseDefinition.parseParams({ lambda: 500 })));
    const dense = await fit(easeDefinition.create(easeDefinition.parseParams({ lambda: 500 })));
    const knn = await fit(itemKnnDefinition.create(itemKnnDefinition.parseParams({})));
    expect(sparse.ndcg).toBeGreaterThan(knn.ndcg);
    expect(sparse.ndcg).toBeGreaterThan(dense.ndcg * 0.9);
  });
});
