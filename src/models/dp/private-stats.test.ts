import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../../core/sparse.js';
import { randomBinary } from '../../testkit/binary-matrices.js';
import { mulberry32, mulberry32At } from '../linalg/random.js';
import { analyticGaussianSigma, noiseScale } from './mechanisms.js';
import { boundContributions, countSensitivity, privateItemCounts } from './private-stats.js';

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
  it('Laplace scale is sensitivity / ε; item-count sensitivity is k in L1, √k in L2', () => {
    expect(countSensitivity(4)).toEqual({ l1: 4, l2: 2 });
    expect(noiseScale({ mechanism: 'laplace', epsilon: 0.5, delta: 0 }, countSensitivity(4))).toBe(8);
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
