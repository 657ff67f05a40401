import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { isEngineError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { createRandom } from '../../eval/random.js';
import { binary, randomBinary } from '../../testkit/binary-matrices.js';
import { FIXTURE_EPOCH_MS, tinyRatings } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { alsDefinition } from '../als/als.js';
import { alsNoiseScale, alsReleaseSensitivity, alsUserWeights, gramian, itemSums, zcdpRho } from './private-als.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS), seed: 7 };

// the model contract holds for the private variant too (huge ε: the checkerboard's known answers survive the noise)
modelConformanceSuite(alsDefinition, { dpEpsilon: 1e6, dpFactors: 8, dpIterations: 3 });

/** One iteration's released statistics as one vector: upper(Gramian), then per item upper(a_i) and b_i. */
function statistics(rows: number[][], items: number, x: Float64Array, d: number, k: number): number[] {
  const m = binary(rows, items);
  const itemUsers = m.transpose();
  const weights = alsUserWeights(m, k);
  const upper = (a: Float64Array): number[] => Array.from({ length: d * d }, (_, q) => q).filter((q) => Math.floor(q / d) <= q % d).map((q) => a[q]);
  const out = upper(gramian(x, d));
  for (let i = 0; i < items; i++) {
    const { a, b } = itemSums(itemUsers, i, x, weights, d);
    out.push(...upper(a), ...b);
  }
  return out;
}

describe('private ALS accounting', () => {
  it('converts (ε, δ) to the zCDP ρ whose conversion gives ε back (hand value at ε = 1, δ = 1e-6)', () => {
    expect(zcdpRho(1, 1e-6)).toBeCloseTo(0.017469, 5);
    for (const [e, d] of [[0.5, 1e-6], [10, 1e-6], [2, 1e-9]]) {
      const rho = zcdpRho(e, d);
      expect(rho + 2 * Math.sqrt(rho * Math.log(1 / d))).toBeCloseTo(e, 9);
    }
  });

  it('splits ρ evenly over the iterations: σ = √(1 + 2k) · √(T / 2ρ)', () => {
    const rho = zcdpRho(10, 1e-6);
    expect(alsReleaseSensitivity(10)).toBeCloseTo(Math.sqrt(21), 12);
    expect(alsNoiseScale(10, 1e-6, 10, 1)).toBeCloseTo(Math.sqrt(21) / Math.sqrt(2 * rho), 9);
    expect(alsNoiseScale(10, 1e-6, 10, 4)).toBeCloseTo(2 * alsNoiseScale(10, 1e-6, 10, 1), 9);
    expect(alsNoiseScale(Infinity, 1e-6, 10, 4)).toBe(0);
  });

  it("removing any one user moves an iteration's statistics by at most √(1 + 2k)", () => {
    const m = randomBinary(9);
    const rows = Array.from({ length: m.rows }, (_, u) => Array.from(m.rowIndices(u)));
    const d = 4;
    const rng = createRandom(3);
    const x = new Float64Array(m.rows * d).map(() => rng.next() - 0.5);
    for (let u = 0; u < m.rows; u++) {
      const norm = Math.hypot(...x.subarray(u * d, (u + 1) * d));
      for (let a = 0; a < d; a++) x[u * d + a] /= norm;
    }
    for (const k of [1, 3]) {
      const full = statistics(rows, m.cols, x, d, k);
      for (let u = 0; u < m.rows; u++) {
        const xWithout = Float64Array.from(x);
        xWithout.fill(0, u * d, (u + 1) * d);
        const without = statistics(rows.map((r, v) => (v === u ? [] : r)), m.cols, xWithout, d, k);
        const moved = Math.sqrt(full.reduce((s, v, q) => s + (v - without[q]) ** 2, 0));
        expect(moved).toBeLessThanOrEqual(alsReleaseSensitivity(k) + 1e-9);
      }
    }
  });
});

describe('private ALS model', () => {
  it('records ε, δ, ρ and the noise in the artifact meta and keeps them on restore', async () => {
    const m = alsDefinition.create(alsDefinition.parseParams({ dpEpsilon: 5, dpIterations: 2, dpFactors: 4 }));
    await m.fit(tinyRatings(), ctx);
    const meta = m.save().meta.privacy as { parts: { itemStatistics: { releases: number; rho: number; l2: number; noiseScale: number } } };
    expect(meta).toMatchObject({ epsilon: 5, delta: 1e-6, mechanism: 'gaussian', maxItemsPerUser: 10, unit: 'user', accounting: 'zCDP', factors: 4 });
    expect(meta.parts.itemStatistics).toMatchObject({ releases: 2, l2: Math.sqrt(21) });
    expect(meta.parts.itemStatistics.rho * 2).toBeCloseTo(zcdpRho(5, 1e-6), 12);
    expect(meta.parts.itemStatistics.noiseScale).toBeCloseTo(alsNoiseScale(5, 1e-6, 10, 2), 12);
    expect(alsDefinition.restore(m.save()).save().meta.privacy).toEqual(meta);
    expect(m.save().meta.stride).toBe(8);
  });

  it('rejects dp options without dpEpsilon and Laplace noise (the accounting is zCDP)', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return isEngineError(e) ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => alsDefinition.parseParams({ dpFactors: 16 }))).toBe('INVALID_CONFIG');
    expect(code(() => alsDefinition.parseParams({ dpEpsilon: 1, dpMechanism: 'laplace' }))).toBe('INVALID_CONFIG');
    expect(code(() => alsDefinition.parseParams({ dpEpsilon: 1 }))).toBeUndefined();
  });
});
