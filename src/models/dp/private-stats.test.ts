import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { CsrMatrix } from '../../core/sparse.js';
import { createRandom } from '../../eval/random.js';
import { FIXTURE_EPOCH_MS } from '../../testkit/fixtures.js';
import { fitControl } from '../fit-control.js';
import { pairwiseSimilarity } from '../itemknn/similarity.js';
import { weightedItemUsers } from '../itemknn/weighting.js';
import { mulberry32, mulberry32At } from '../linalg/random.js';
import { analyticGaussianSigma, noiseScale } from './mechanisms.js';
import { boundContributions, pairSensitivity, privateCosineSimilarity, privateItemCounts } from './private-stats.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS) };

/** users x items, 0/1, from rows of item lists. */
function binary(rows: number[][], items: number): CsrMatrix {
  const r: number[] = [];
  const c: number[] = [];
  rows.forEach((cols, u) => cols.forEach((i) => (r.push(u), c.push(i))));
  return CsrMatrix.fromTriplets(rows.length, items, r, c, new Array<number>(r.length).fill(1));
}

/** A random 0/1 matrix: 60 users, 12 items, histories of 1–10 items. */
function randomBinary(seed: number): CsrMatrix {
  const rng = createRandom(seed);
  const rows = Array.from({ length: 60 }, () => {
    const set = new Set<number>();
    const len = 1 + rng.int(10);
    while (set.size < len) set.add(rng.int(12));
    return [...set];
  });
  return binary(rows, 12);
}

describe('contribution bounding', () => {
  it('keeps at most k distinct items per user, a subset of their history, all ones', () => {
    const m = randomBinary(3);
    const b = boundContributions(m, 4, 11);
    for (let u = 0; u < m.rows; u++) {
      const kept = Array.from(b.rowIndices(u));
      const had = new Set(m.rowIndices(u));
      expect(kept.length).toBe(Math.min(4, had.size));
      expect(kept.every((i) => had.has(i))).toBe(true);
    }
    expect(Array.from(b.data).every((v) => v === 1)).toBe(true);
  });

  it('samples the same items for the same seed, and different ones for another', () => {
    const m = randomBinary(3);
    expect(boundContributions(m, 3, 5).indices).toEqual(boundContributions(m, 3, 5).indices);
    expect(boundContributions(m, 3, 5).indices).not.toEqual(boundContributions(m, 3, 6).indices);
  });
});

describe('noise calibration', () => {
  it('Laplace scale is sensitivity / ε; pair sensitivity is k(k-1)/2 in L1', () => {
    expect(pairSensitivity(4)).toEqual({ l1: 6, l2: Math.sqrt(6) });
    expect(noiseScale({ mechanism: 'laplace', epsilon: 0.5, delta: 0 }, pairSensitivity(4))).toBe(12);
  });

  it('the analytic Gaussian σ never exceeds the classic bound (ε < 1) and meets the (ε, δ) condition', () => {
    const classic = Math.sqrt(2 * Math.log(1.25 / 1e-5)) / 0.5;
    const sigma = analyticGaussianSigma(0.5, 1e-5, 1);
    expect(sigma).toBeLessThanOrEqual(classic);
    expect(sigma).toBeGreaterThan(0.5 * classic);
    // linear in the sensitivity
    expect(analyticGaussianSigma(0.5, 1e-5, 3)).toBeCloseTo(3 * sigma, 6);
  });

  it('item-count noise has mean 0 and the calibrated spread (Laplace: mean |x| = b; Gaussian: sd = σ)', () => {
    const items = 20_000;
    const empty = new CsrMatrix(1, items, new Int32Array(2), new Int32Array(0), new Float32Array(0));
    const lap = privateItemCounts(empty, 5, { mechanism: 'laplace', epsilon: 2, delta: 0 }, 9);
    const meanAbs = lap.reduce((s, x) => s + Math.abs(x), 0) / items;
    expect(Math.abs(lap.reduce((s, x) => s + x, 0) / items)).toBeLessThan(0.1);
    expect(meanAbs).toBeGreaterThan(2.5 * 0.95); // b = k / ε = 2.5
    expect(meanAbs).toBeLessThan(2.5 * 1.05);
    const budget = { mechanism: 'gaussian' as const, epsilon: 1, delta: 1e-6 };
    const gauss = privateItemCounts(empty, 4, budget, 9);
    const sd = Math.sqrt(gauss.reduce((s, x) => s + x * x, 0) / items);
    const sigma = analyticGaussianSigma(1, 1e-6, 2); // L2 sensitivity √4
    expect(sd).toBeGreaterThan(sigma * 0.95);
    expect(sd).toBeLessThan(sigma * 1.05);
  });

  it('mulberry32At reads the sequential stream at any position', () => {
    const next = mulberry32(77);
    for (let t = 0; t < 50; t++) expect(mulberry32At(77, t)).toBe(next());
  });
});

describe('private cosine similarity', () => {
  it('with ε = ∞ and k above every history equals the exact cosine of the binary matrix', async () => {
    const m = randomBinary(4);
    const budget = { mechanism: 'gaussian' as const, epsilon: Infinity, delta: 1e-6 };
    const bounded = boundContributions(m, 100, 1);
    const counts = privateItemCounts(bounded, 100, budget, 1);
    const priv = await privateCosineSimilarity(bounded, counts, { k: 100, budget, seed: 1, neighbors: 5, shrink: 2, pairThreshold: 2 }, fitControl(ctx, 12));
    const exact = await pairwiseSimilarity(weightedItemUsers(m, { weighting: 'cosine', K1: 1.2, B: 0.75 }), { neighbors: 5, shrink: 2 }, fitControl(ctx, 12));
    expect(Array.from(priv.indptr)).toEqual(Array.from(exact.indptr));
    expect(Array.from(priv.indices)).toEqual(Array.from(exact.indices));
    priv.data.forEach((v, p) => expect(v).toBeCloseTo(exact.data[p], 5));
  });

  it('is symmetric before pruning: the same noise on (i, j) and (j, i); similarities stay in (0, 1]', async () => {
    const m = randomBinary(5);
    const budget = { mechanism: 'laplace' as const, epsilon: 1, delta: 0 };
    const bounded = boundContributions(m, 3, 2);
    const counts = privateItemCounts(bounded, 3, { ...budget, epsilon: 0.5 }, 2);
    const sim = await privateCosineSimilarity(bounded, counts, { k: 3, budget, seed: 2, neighbors: 12, shrink: 0, pairThreshold: 0 }, fitControl(ctx, 12));
    const dense = (i: number, j: number): number => {
      const cols = Array.from(sim.rowIndices(i));
      const p = cols.indexOf(j);
      return p < 0 ? 0 : sim.rowData(i)[p];
    };
    expect(sim.nnz).toBeGreaterThan(0);
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 12; j++) {
        expect(dense(i, j)).toBeCloseTo(dense(j, i), 6);
        expect(dense(i, j)).toBeLessThanOrEqual(1 + 1e-6);
      }
    }
  });
});
