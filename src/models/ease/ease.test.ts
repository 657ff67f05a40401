import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { testDataset } from '../../testkit/datasets.js';
import { FIXTURE_EPOCH_MS, fromDense } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { evaluateTopK, movieLens100kHoldout } from '../../testkit/quick-eval.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { popularDefinition } from '../popular/popular.js';
import { easeDefinition, type EaseModel, type EaseParams } from './ease.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS) };

modelConformanceSuite(easeDefinition, { lambda: 10 });
modelConformanceSuite(easeDefinition, { lambda: 50, binary: false }, { fitContext: { threads: 1 } });

async function fitEase(rows: number[][], params: Partial<EaseParams>, threads = 2): Promise<EaseModel> {
  const model = easeDefinition.create(easeDefinition.parseParams(params)) as EaseModel;
  await model.fit(fromDense(rows), { ...ctx, threads });
  return model;
}

/** Row `item` of B, read as the scores of a user whose only history is that item. */
function weightRow(model: EaseModel, item: number, nItems: number): number[] {
  const candidates = Int32Array.from({ length: nItems }, (_, i) => i);
  const scored = model.recommend({ user: { indices: Int32Array.of(item), values: Float32Array.of(1) }, k: nItems, candidates });
  const row = new Array<number>(nItems).fill(Number.NaN);
  for (const s of scored) row[s.index] = s.score;
  return row;
}

/**
 * Independent EASE: Gauss-Jordan inverse with partial pivoting of XᵀWX + Λ, then B_ij = -P_ij / P_jj, where
 * Λ_ii = λ + p/(1-p)·(XᵀWX)_ii (EDLAE; p = 0 is plain EASE) and W = diag(w_u), w_u = n_u^-β·Σn/Σn^(1-β) (DAN).
 */
function referenceEase(rows: number[][], lambda: number, dropout = 0, userNorm = 0): number[][] {
  const n = rows[0].length;
  const counts = rows.map((r) => r.filter((v) => v !== 0).length);
  const norm = counts.reduce((a, b) => a + b, 0) / counts.reduce((a, c) => a + (c > 0 ? c ** (1 - userNorm) : 0), 0);
  const w = counts.map((c) => (c > 0 ? c ** -userNorm * norm : 0));
  const m = Array.from({ length: n }, (_, i) => {
    const left = Array.from({ length: n }, (_, j) => {
      const g = rows.reduce((s, r, u) => s + w[u] * r[i] * r[j], 0);
      return i === j ? g * (1 + dropout / (1 - dropout)) + lambda : g;
    });
    return [...left, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))];
  });
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    const p = m[c][c];
    m[c] = m[c].map((v) => v / p);
    for (let r = 0; r < n; r++) if (r !== c) m[r] = m[r].map((v, j) => v - m[r][c] * m[c][j]);
  }
  const inv = m.map((r) => r.slice(n));
  return inv.map((r, i) => r.map((v, j) => (i === j ? 0 : -v / inv[j][j])));
}

describe('EASE weights, checked by hand', () => {
  // X = [[1,1,0],[0,1,1],[1,1,1]]; XᵀX + I = [[3,2,1],[2,4,2],[1,2,3]], det 16,
  // P = [[8,-4,0],[-4,8,-4],[0,-4,8]] / 16, B_ij = -P_ij / P_jj = [[0,.5,0],[.5,0,.5],[0,.5,0]]
  it('solves the 3 x 3 closed form', async () => {
    const model = await fitEase([[1, 1, 0], [0, 1, 1], [1, 1, 1]], { lambda: 1 });
    const expected = [[0, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0]];
    for (let i = 0; i < 3; i++) weightRow(model, i, 3).forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 6));
  });

  it('matches an independent Gauss-Jordan EASE on a random 60 x 14 matrix, weighted and binary', async () => {
    let state = 7;
    const rand = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const rows = Array.from({ length: 60 }, () => Array.from({ length: 14 }, () => (rand() < 0.3 ? 1 + Math.floor(rand() * 5) : 0)));
    for (const binary of [false, true]) {
      const model = await fitEase(rows, { lambda: 3, binary });
      const expected = referenceEase(binary ? rows.map((r) => r.map((v) => (v > 0 ? 1 : 0))) : rows, 3);
      for (let i = 0; i < 14; i++) weightRow(model, i, 14).forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5));
    }
  });

  it('adds EDLAE dropout regularisation: λ + p/(1-p)·G_ii on the diagonal', async () => {
    // X = [[1,1,0],[0,1,1],[1,1,1]], λ 1, p 0.5: diagonal (2,3,2)·2 + 1 = (5,7,5); A = [[5,2,1],[2,7,2],[1,2,5]]
    const rows = [[1, 1, 0], [0, 1, 1], [1, 1, 1]];
    const model = await fitEase(rows, { lambda: 1, dropout: 0.5 });
    const expected = referenceEase(rows, 1, 0.5);
    // by hand: P ∝ adj(A) = [[31,-8,-3],[-8,24,-8],[-3,-8,31]], so B01 = 8/24, B10 = 8/31, B02 = 3/31
    expect(expected[0][1]).toBeCloseTo(8 / 24, 9);
    expect(expected[1][0]).toBeCloseTo(8 / 31, 9);
    expect(expected[0][2]).toBeCloseTo(3 / 31, 9);
    for (let i = 0; i < 3; i++) weightRow(model, i, 3).forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5));
  });

  it('normalises items as DAN: B_ij·(c_i/c_j)^γ', async () => {
    // B of the 3 x 3 case above is [[0,.5,0],[.5,0,.5],[0,.5,0]]; counts c = (2,3,2); γ = 1:
    // W01 = .5·2/3, W10 = .5·3/2, W12 = .5·3/2, W21 = .5·2/3, W02 = W20 = 0
    const model = await fitEase([[1, 1, 0], [0, 1, 1], [1, 1, 1]], { lambda: 1, itemNorm: 1 });
    const expected = [[0, 1 / 3, 0], [0.75, 0, 0.75], [0, 1 / 3, 0]];
    for (let i = 0; i < 3; i++) weightRow(model, i, 3).forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 6));
  });

  it('normalises users as DAN: XᵀWX with w_u ∝ n_u^-β, matching the reference with dropout', async () => {
    let state = 11;
    const rand = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    // users with very different history lengths, so the weighting matters
    const rows = Array.from({ length: 50 }, (_, u) => Array.from({ length: 12 }, () => (rand() < 0.1 + (u % 5) * 0.15 ? 1 : 0)));
    const plain = await fitEase(rows, { lambda: 2, dropout: 0.3 });
    const model = await fitEase(rows, { lambda: 2, dropout: 0.3, userNorm: 0.7 });
    const expected = referenceEase(rows, 2, 0.3, 0.7);
    let moved = 0;
    for (let i = 0; i < 12; i++) {
      const got = weightRow(model, i, 12);
      got.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5));
      weightRow(plain, i, 12).forEach((v, j) => (moved = Math.max(moved, Math.abs(v - got[j]))));
    }
    expect(moved).toBeGreaterThan(0.01);
  });

  it('explains a score as the B weights of the history items', async () => {
    const model = await fitEase([[1, 1, 0], [0, 1, 1], [1, 1, 1]], { lambda: 1 });
    // history {0, 2}: score of item 1 = B01 + B21 = 1, split evenly; item 0 itself gets no self-contribution
    const why = model.explain({ indices: Int32Array.of(0, 2), values: Float32Array.of(1, 1) }, 1);
    expect(why).toEqual([{ item: 0, weight: 0.5 }, { item: 2, weight: 0.5 }]);
    expect(model.similarItems(1, 5).map((s) => s.index).sort()).toEqual([0, 2]);
  });

  it('leaves out items without events and those beyond maxItems, scoring them 0 as candidates', async () => {
    // item 3 has no events; with maxItems 2 only the two most popular items (1, then 0 by index) are modelled
    const rows = [[1, 1, 0, 0], [0, 1, 1, 0], [1, 1, 1, 0], [1, 1, 0, 0]];
    const model = await fitEase(rows, { lambda: 1, maxItems: 2 });
    const all = Int32Array.of(0, 1, 2, 3);
    const scored = model.recommend({ user: { indices: Int32Array.of(1), values: Float32Array.of(1) }, k: 4, candidates: all });
    expect(scored.find((s) => s.index === 2)?.score).toBe(0);
    expect(scored.find((s) => s.index === 3)?.score).toBe(0);
    expect(model.recommend({ user: 0, k: 4 }).map((s) => s.index).sort()).toEqual([0, 1]);
  });

  it('gives identical weights on one and two worker threads', async () => {
    const rows = Array.from({ length: 80 }, (_, u) => Array.from({ length: 300 }, (_, i) => ((u * 31 + i * 17) % 11 < 3 ? 1 : 0)));
    const [one, two] = [await fitEase(rows, { lambda: 5 }, 1), await fitEase(rows, { lambda: 5 }, 2)];
    const a = one.save().arrays.weights;
    const b = two.save().arrays.weights;
    expect(b).toEqual(a);
  });
});

const ml100k = testDataset('ml-100k');

describe('EASE on MovieLens 100K', () => {
  it.skipIf(!ml100k)('beats popularity clearly on a per-user random holdout, and survives save/load', async () => {
    const holdout = movieLens100kHoldout(ml100k!, { seed: 3 });
    const ease = easeDefinition.create(easeDefinition.parseParams({ lambda: 500 }));
    const report = await ease.fit(holdout.train, { ...ctx, threads: 2 });
    const popular = popularDefinition.create(popularDefinition.parseParams({}));
    await popular.fit(holdout.train, ctx);
    const e = evaluateTopK(ease, holdout, 10);
    const p = evaluateTopK(popular, holdout, 10);
    expect(report.items).toBeGreaterThan(1600);
    expect(e.ndcg).toBeGreaterThan(p.ndcg * 1.4);
    expect(e.hitRate).toBeGreaterThan(p.hitRate);
    const restored = easeDefinition.restore(decodeArtifact(encodeArtifact(ease.save())));
    for (const user of [0, 17, 400, 942]) expect(restored.recommend({ user, k: 10 })).toEqual(ease.recommend({ user, k: 10 }));
  });
});
