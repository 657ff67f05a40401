import { describe, expect, it } from 'vitest';
import { TransformerKernelInstance } from './kernel-instance.js';
import { mulberry32 } from '../linalg/random.js';
import { gemmAccumulateTransposedA } from './gemm.js';
import { sampleNegatives, softmaxLossTs } from './softmax-loss.js';
import type { TokenTargets } from './token-targets.js';
import { WasmSoftmaxLoss } from './wasm-softmax-loss.js';

// The float32 WebAssembly softmax loss is checked against the TypeScript path in float64, whose gradients
// layers.test.ts checks against finite differences.
const rand = mulberry32(5);
const randomVec = (n: number, scale = 1): Float64Array => Float64Array.from({ length: n }, () => (2 * rand() - 1) * scale);

/** Largest |a − b| / max(floor, |b|). */
function worstRelative(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(floor, Math.abs(b[i])));
  return worst;
}

describe('the SIMD exp of expShiftSum', () => {
  it('is within 1.5e-7 relative of Math.exp on [−64, 88], 0 below −64, and sums in float64', () => {
    const instance = new TransformerKernelInstance();
    const n = 1_000_003;
    const kernels = instance.ensure(n * 4);
    const mem = instance.floats();
    const x = Float32Array.from({ length: n }, (_, i) => -64 + (152 * i) / (n - 1));
    mem.set(x);
    const sum = kernels.expShiftSum(0, n, 0);
    let worst = 0;
    let exact = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.exp(x[i]);
      exact += e;
      worst = Math.max(worst, Math.abs(mem[i] - e) / e);
    }
    expect(worst).toBeLessThan(1.5e-7);
    expect(Math.abs(sum - exact) / exact).toBeLessThan(2e-7);
    mem.set([-64.5, -100, 0, -Infinity, 1]);
    // a shift of 1: e^(x − 1); the tail of 5 % 4 runs one lane at a time
    expect(kernels.expShiftSum(0, 5, 1)).toBeCloseTo(Math.exp(-1) + 1, 6);
    expect(Array.from(mem.subarray(0, 5))).toEqual([0, 0, Math.fround(Math.exp(-1)), 0, 1]);
  });
});

describe('WasmSoftmaxLoss', () => {
  const cases = [
    { name: 'sampled negatives, three targets per token, some outside the candidates', width: 64, items: 300, rows: 133, negatives: 100, perToken: 3 },
    { name: 'every item (full softmax), one target, widths and counts off the SIMD multiples', width: 12, items: 37, rows: 6, negatives: 0, perToken: 1 },
    { name: 'more tokens than a chunk, odd candidates', width: 20, items: 500, rows: 261, negatives: 203, perToken: 2 },
    { name: 'each token\'s seen items left out', width: 16, items: 90, rows: 140, negatives: 40, perToken: 2, seen: 30 },
  ];
  for (const c of cases) {
    it(`matches the TypeScript loss and gradients: ${c.name}`, () => {
      const h = randomVec(c.rows * c.width, 1.5);
      const emb = randomVec(c.items * c.width, 0.8);
      const candidates = c.negatives > 0 ? sampleNegatives(c.items, c.negatives, rand) : Int32Array.from({ length: c.items }, (_, i) => i);
      const items = Int32Array.from({ length: c.rows * c.perToken }, (_, i) => (i % c.perToken === c.perToken - 1 && i % 7 === 0 ? -1 : Math.floor(rand() * c.items)));
      const weights = Float32Array.from(items, (item) => (item < 0 ? 0 : 0.25 + rand()));
      // with `seen`: token t has seen the items of a sliding run of the catalogue, some of them its own targets
      const seen = c.seen && {
        items: Int32Array.from({ length: c.items + c.seen }, (_, i) => i % c.items),
        from: Int32Array.from({ length: c.rows }, (_, t) => t % c.items),
        to: Int32Array.from({ length: c.rows }, (_, t) => (t % c.items) + ((c.seen ?? 0) * ((t % 3) + 1)) / 3),
      };
      const tt: TokenTargets = { items, weights, perToken: c.perToken, ...(seen ? { seen } : {}) };
      const dh64 = randomVec(h.length, 0.01);
      const dEmb64 = randomVec(emb.length, 0.01);
      const dh32 = Float32Array.from(dh64);
      const before = dh64.slice();
      const dEmb32 = Float32Array.from(dEmb64);
      const ts = softmaxLossTs(h, emb, candidates, tt, c.width, dh64, dEmb64);
      // one instance for both calls: a second call must not see what the first left in its memory
      const wasm = new WasmSoftmaxLoss();
      wasm.loss(Float32Array.from(h), Float32Array.from(emb), candidates, tt, c.width, new Float32Array(h.length), new Float32Array(emb.length));
      const simd = wasm.loss(Float32Array.from(h), Float32Array.from(emb), candidates, tt, c.width, dh32, dEmb32);
      expect(Math.abs(simd - ts) / ts).toBeLessThan(1e-5);
      // gradients are ~1/rows per entry: compare against their scale, not 1
      const scale = 1 / c.rows;
      expect(worstRelative(dh32, dh64, scale)).toBeLessThan(2e-4);
      expect(worstRelative(dEmb32, dEmb64, scale)).toBeLessThan(2e-4);
      // and the gradients did move away from their starting values
      expect(worstRelative(dh32, before, scale)).toBeGreaterThan(1e-2);
    });
  }
});

describe('gemmAccumulateTransposedA', () => {
  it('adds aᵀ · b into c on both paths, a stored k x m', () => {
    for (const [m, k, n] of [[64, 400, 64], [6, 9, 5], [70, 33, 24]]) {
      const a = randomVec(k * m);
      const b = randomVec(k * n);
      const c0 = randomVec(m * n);
      const expected = c0.slice();
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) expected[i * n + j] += a[p * m + i] * b[p * n + j];
      const c64 = c0.slice();
      gemmAccumulateTransposedA(a, b, c64, m, k, n);
      expect(worstRelative(c64, expected, 1)).toBeLessThan(1e-12);
      const c32 = Float32Array.from(c0);
      gemmAccumulateTransposedA(Float32Array.from(a), Float32Array.from(b), c32, m, k, n);
      expect(worstRelative(c32, expected, 1)).toBeLessThan(1e-4);
    }
  });
});
