import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { binary, randomBinary } from '../../testkit/binary-matrices.js';
import { FIXTURE_EPOCH_MS } from '../../testkit/fixtures.js';
import { solveEase } from '../ease/solve.js';
import { fitControl } from '../fit-control.js';
import { pairwiseSimilarity } from '../itemknn/similarity.js';
import { privateItemSimilarity } from '../itemknn/private-similarity.js';
import { weightedItemUsers } from '../itemknn/weighting.js';
import { analyticGaussianSigma, type DpBudget } from './mechanisms.js';
import { fillFromCounts } from './popularity-fill.js';
import { privateEase } from './private-ease.js';
import { distinctItems, gramSensitivity, PrivateGram, userWeights } from './private-gram.js';
import { CsrMatrix } from '../../core/sparse.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS) };
const exact: DpBudget = { mechanism: 'gaussian', epsilon: Infinity, delta: 1e-6 };
const onStep = async (): Promise<void> => undefined;

/** The released upper triangle (diagonal included) as one vector. */
function upperTriangle(g: PrivateGram): number[] {
  const row = new Float64Array(g.n);
  const out: number[] = [];
  for (let i = 0; i < g.n; i++) {
    g.row(i, row);
    for (let j = i; j < g.n; j++) out.push(row[j]);
  }
  return out;
}

describe('private Gram release: bounding and sensitivity', () => {
  it('scales a heavy history to the norm of a k-item one (hand-computed weights)', () => {
    const m = binary([[0], [0, 1], [0, 1, 2], [0, 1, 2, 3]], 4);
    // k = 2: cap √(2·3/2) = √3; 3 items: √6 → √3/√6; 4 items: √10 → √3/√10 (Gaussian, L2)
    expect(Array.from(userWeights(m, 2, 'scale', 'gaussian'))).toEqual([1, 1, Math.sqrt(3) / Math.sqrt(6), Math.sqrt(3) / Math.sqrt(10)]);
    // Laplace bounds the L1 norm: cap 3; 3 items 6 entries → 1/2; 4 items 10 → 3/10
    expect(Array.from(userWeights(m, 2, 'scale', 'laplace'))).toEqual([1, 1, 0.5, 0.3]);
    expect(Array.from(userWeights(m, 2, 'sample', 'gaussian'))).toEqual([1, 1, 1, 1]);
    expect(gramSensitivity(2, 'scale', 'gaussian').l2).toBeCloseTo(Math.sqrt(3), 12);
    expect(gramSensitivity(3, 'sample', 'laplace')).toEqual({ l1: 6, l2: Math.sqrt(6) });
  });

  it('removing any one user moves the released vector by at most the sensitivity (k = 1: unit L2 norm)', () => {
    const m = randomBinary(8);
    for (const k of [1, 3]) {
      const full = upperTriangle(PrivateGram.release(m, { k, bounding: 'scale', budget: exact, seed: 1 }));
      const bound = gramSensitivity(k, 'scale', 'gaussian').l2;
      let largest = 0;
      for (let u = 0; u < m.rows; u++) {
        const rows = Array.from({ length: m.rows }, (_, v) => (v === u ? [] : Array.from(m.rowIndices(v))));
        const without = upperTriangle(PrivateGram.release(binary(rows, m.cols), { k, bounding: 'scale', budget: exact, seed: 1 }));
        const moved = Math.sqrt(full.reduce((s, x, p) => s + (x - without[p]) ** 2, 0));
        expect(moved).toBeLessThanOrEqual(bound + 1e-9);
        largest = Math.max(largest, moved);
      }
      // users heavier than k are scaled to exactly the bound
      expect(largest).toBeCloseTo(bound, 9);
    }
  });

  it('counts a repeated item once: repeats and ratings are dropped before bounding', () => {
    // user 0 has item 2 three times (rating 5, 4, 1) and item 0 once
    const m = CsrMatrix.fromTriplets(2, 3, [0, 0, 0, 0, 1], [2, 0, 2, 2, 1], [5, 3, 4, 1, 2]);
    const d = distinctItems(m);
    expect(Array.from(d.rowIndices(0))).toEqual([0, 2]);
    expect(Array.from(d.rowData(0))).toEqual([1, 1]);
    const g = PrivateGram.release(m, { k: 10, bounding: 'scale', budget: exact, seed: 1 });
    expect(Array.from(g.diagonal)).toEqual([1, 1, 1]);
  });

  it('with ε = ∞ and k above every history the release is exactly XᵀX of the binary matrix', () => {
    const m = randomBinary(2);
    const g = PrivateGram.release(m, { k: 100, bounding: 'scale', budget: exact, seed: 3 });
    const xtx = m.transpose();
    const row = new Float64Array(m.cols);
    for (let i = 0; i < m.cols; i++) {
      g.row(i, row);
      const users = new Set(xtx.rowIndices(i));
      for (let j = 0; j < m.cols; j++) expect(row[j]).toBe(Array.from(xtx.rowIndices(j)).filter((u) => users.has(u)).length);
    }
  });
});

describe('private Gram release: noise', () => {
  it('adds calibrated noise to every entry, zeros included, the same on (i, j) and (j, i)', () => {
    const empty = binary([[]], 200);
    // Laplace, k = 3: L1 sensitivity 3·4/2 = 6, ε = 2 → b = 3, mean |noise| = b
    const lap = PrivateGram.release(empty, { k: 3, bounding: 'scale', budget: { mechanism: 'laplace', epsilon: 2, delta: 0 }, seed: 5 });
    expect(lap.scale).toBe(3);
    const values = upperTriangle(lap);
    const meanAbs = values.reduce((s, x) => s + Math.abs(x), 0) / values.length;
    expect(meanAbs).toBeGreaterThan(3 * 0.95);
    expect(meanAbs).toBeLessThan(3 * 1.05);
    const a = new Float64Array(200);
    const b = new Float64Array(200);
    lap.row(17, a);
    lap.row(90, b);
    expect(a[90]).toBe(b[17]);
    expect(a[17]).toBe(lap.diagonal[17]);
    // Gaussian, k = 2: L2 sensitivity √3; σ from the analytic Gaussian mechanism, and the sample's sd matches it
    const gauss = PrivateGram.release(empty, { k: 2, bounding: 'scale', budget: { mechanism: 'gaussian', epsilon: 1, delta: 1e-6 }, seed: 5 });
    expect(gauss.scale).toBeCloseTo(analyticGaussianSigma(1, 1e-6, Math.sqrt(3)), 12);
    const g = upperTriangle(gauss);
    const sd = Math.sqrt(g.reduce((s, x) => s + x * x, 0) / g.length);
    expect(sd).toBeGreaterThan(gauss.scale * 0.95);
    expect(sd).toBeLessThan(gauss.scale * 1.05);
  });
});

describe('private item-kNN and EASE are post-processing of the release', () => {
  const knnParams = { dpEpsilon: Infinity, dpDelta: 1e-6, dpMaxItemsPerUser: 100, dpMechanism: 'gaussian' as const, dpBounding: 'scale' as const, dpPairThreshold: 2, neighbors: 5, shrink: 2 };

  it('item-kNN at ε = ∞ with k above every history equals the exact cosine', async () => {
    const m = randomBinary(4);
    const { similarity: priv } = await privateItemSimilarity(m, knnParams, 1, fitControl(ctx, 12));
    const ref = await pairwiseSimilarity(weightedItemUsers(m, { weighting: 'cosine', K1: 1.2, B: 0.75 }), { neighbors: 5, shrink: 2 }, fitControl(ctx, 12));
    expect(Array.from(priv.indptr)).toEqual(Array.from(ref.indptr));
    expect(Array.from(priv.indices)).toEqual(Array.from(ref.indices));
    priv.data.forEach((v, p) => expect(v).toBeCloseTo(ref.data[p], 5));
  });

  it('EASE at ε = ∞ with k above every history equals exact EASE with the same λ', async () => {
    const m = randomBinary(6);
    const p = { ...knnParams, lambda: 3, dpRidge: 3, dpPairThreshold: 0, dpItemThreshold: 0, maxItems: 100 };
    const priv = await privateEase(m, p, 1, { threads: 1, precision: 'f64', onStep });
    const ref = await solveEase(m, { lambda: 3, dropout: 0, userNorm: 0, itemNorm: 0, binary: true, maxItems: 100, precision: 'f64', threads: 1, onStep });
    expect(priv.lambda).toBe(3);
    expect(Array.from(priv.items)).toEqual(Array.from(ref.items));
    priv.weights.forEach((v, q) => expect(v).toBeCloseTo(ref.weights[q], 5));
  });

  it('private EASE equals EASE computed by hand on the released noisy Gram + (λ + ridge)·I', async () => {
    const m = randomBinary(7);
    const p = { ...knnParams, dpEpsilon: 5, dpMaxItemsPerUser: 3, lambda: 10, dpRidge: 3, dpPairThreshold: 0, dpItemThreshold: 1, maxItems: 100 };
    const budget: DpBudget = { mechanism: 'gaussian', epsilon: 5, delta: 1e-6 };
    const priv = await privateEase(m, p, 9, { threads: 1, precision: 'f64', onStep });
    const g = PrivateGram.release(m, { k: 3, bounding: 'scale', budget, seed: 9 });
    // the modelled items: noisy count above 1 noise scale, read from the release alone
    const items = Array.from({ length: g.n }, (_, i) => i).filter((i) => g.diagonal[i] > g.scale);
    expect(Array.from(priv.items)).toEqual(items);
    expect(items.length).toBeGreaterThan(3);
    const n = items.length;
    expect(priv.lambda).toBeCloseTo(10 + 3 * g.scale * Math.sqrt(n), 9);
    // G̃ + λ′I over those items, inverted by Gauss–Jordan here; B_ij = −P_ij / P_jj
    const full = new Float64Array(g.n);
    const a = items.map((item, i) => {
      g.row(item, full);
      const row = items.map((other) => full[other]);
      row[i] += priv.lambda;
      return [...row, ...items.map((_, j) => (i === j ? 1 : 0))];
    });
    for (let c = 0; c < n; c++) {
      const pivot = a[c][c];
      expect(pivot).toBeGreaterThan(0);
      for (let j = 0; j < 2 * n; j++) a[c][j] /= pivot;
      for (let r = 0; r < n; r++) if (r !== c) {
        const f = a[r][c];
        for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
      }
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) expect(priv.weights[i * n + j]).toBeCloseTo(i === j ? 0 : -a[i][n + j] / a[j][n + j], 5);
    }
  });
});

describe('filling short private lists from the released counts', () => {
  it('appends the most popular items not listed or excluded, below the last score, in count order', () => {
    const counts = [5, -1, 9, 7, 3];
    const filled = fillFromCounts([{ index: 3, score: 0.4 }], counts, 4, [2]);
    expect(filled.map((s) => s.index)).toEqual([3, 0, 4, 1]);
    expect(filled[1].score).toBeLessThan(0.4);
    expect(filled[2].score).toBeLessThan(filled[1].score);
    expect(filled[3].score).toBeGreaterThan(0);
    expect(fillFromCounts([{ index: 3, score: 0.4 }], counts, 1)).toEqual([{ index: 3, score: 0.4 }]);
  });
});
