import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../workers/pool.js';
import { sharedLayout } from './arena.js';
import { SWEEP_KERNELS, sweepInverse, sweepLayout, sweepShape, type SweepPrecision } from './spd-inverse.js';
import { kernelModule } from './wasm/kernels.js';

/** A reproducible SPD matrix: MᵀM/n + I with M uniform in [-1, 1). */
function randomSpd(n: number, seed: number): Float64Array {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const m = Float64Array.from({ length: n * n }, () => rand() * 2 - 1);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += m[k * n + i] * m[k * n + j];
      a[i * n + j] = s / n + (i === j ? 1 : 0);
    }
  }
  return a;
}

/** Independent reference: Gauss-Jordan elimination with partial pivoting on [A | I]. */
function gaussJordanInverse(a: Float64Array, n: number): Float64Array {
  const w = 2 * n;
  const m = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * w + j] = a[i * n + j];
    m[i * w + n + i] = 1;
  }
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * w + c]) > Math.abs(m[pivot * w + c])) pivot = r;
    for (let j = 0; j < w; j++) [m[c * w + j], m[pivot * w + j]] = [m[pivot * w + j], m[c * w + j]];
    const p = m[c * w + c];
    for (let j = 0; j < w; j++) m[c * w + j] /= p;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * w + c];
      if (f !== 0) for (let j = 0; j < w; j++) m[r * w + j] -= f * m[c * w + j];
    }
  }
  return Float64Array.from({ length: n * n }, (_, k) => m[Math.floor(k / n) * w + n + (k % n)]);
}

async function sweptInverse(a: Float64Array, n: number, threads: number, precision: SweepPrecision = 'f64'): Promise<Float64Array> {
  const { nb, padded } = sweepShape(n);
  const ld = padded + 8;
  const { memory, blocks } = sharedLayout(sweepLayout(padded, nb, precision, threads));
  const s = blocks.s.view;
  for (let i = 0; i < padded; i++) for (let j = 0; j <= i; j++) s[i * ld + j] = i < n ? a[i * n + j] : i === j ? 1 : 0;
  const pool = WorkerPool.start({ kernels: SWEEP_KERNELS, size: threads, memory, module: kernelModule() });
  try {
    await sweepInverse(pool, { precision, n: padded, nb, ld, ...blocks }, { colBlock: 64 });
  } finally {
    await pool.close();
  }
  // lower triangle holds -A⁻¹
  return Float64Array.from({ length: n * n }, (_, k) => {
    const i = Math.floor(k / n);
    const j = k % n;
    return -(i >= j ? s[i * ld + j] : s[j * ld + i]);
  });
}

describe('sweepInverse (blocked symmetric Gauss-Jordan over WASM GEMM and worker threads)', () => {
  it('inverts a hand-checked 3x3 matrix', async () => {
    // A = [[2,1,0],[1,2,1],[0,1,2]], det 4, A⁻¹ = [[3,-2,1],[-2,4,-2],[1,-2,3]] / 4
    const expected = [3, -2, 1, -2, 4, -2, 1, -2, 3].map((v) => v / 4);
    const inv = await sweptInverse(Float64Array.of(2, 1, 0, 1, 2, 1, 0, 1, 2), 3, 1);
    inv.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 12));
    const inv32 = await sweptInverse(Float64Array.of(2, 1, 0, 1, 2, 1, 0, 1, 2), 3, 1, 'f32');
    inv32.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 6));
  });

  it.each([
    [37, 1, 'f64', 1e-9],
    [300, 2, 'f64', 1e-9],
    [37, 1, 'f32', 1e-4],
    [300, 2, 'f32', 1e-4],
  ] as const)('matches Gauss-Jordan with pivoting for n = %i on %i thread(s) in %s', async (n, threads, precision, tolerance) => {
    const a = randomSpd(n, n);
    const expected = gaussJordanInverse(a, n);
    const inv = await sweptInverse(a, n, threads, precision);
    let worst = 0;
    let largest = 0;
    for (let k = 0; k < n * n; k++) {
      worst = Math.max(worst, Math.abs(inv[k] - expected[k]));
      largest = Math.max(largest, Math.abs(expected[k]));
    }
    expect(worst / largest).toBeLessThan(tolerance);
  });

  it('rejects a matrix that is not positive definite', async () => {
    await expect(sweptInverse(Float64Array.of(1, 2, 2, 1), 2, 1)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
