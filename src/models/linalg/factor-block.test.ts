import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random.js';
import { factorBlockScorer } from './factor-block.js';

describe('factorBlockScorer (U_block · Vᵀ on the SIMD gemm)', () => {
  it('equals float64 dot products (plus bias) for blocks whose sizes are not multiples of the kernel tiles', () => {
    const rand = mulberry32(5);
    const stride = 16;
    const users = 11;
    const items = 2_051; // more than one 1,024-item chunk, not a multiple of 8
    const userFactors = Float32Array.from({ length: users * stride }, () => rand() - 0.5);
    const itemFactors = Float32Array.from({ length: items * stride }, () => rand() - 0.5);
    const bias = Float32Array.from({ length: items }, () => rand());
    const scorer = factorBlockScorer({ userFactors, itemFactors, stride, items, bias });
    expect(scorer.above).toBe(-Infinity);
    for (const block of [Int32Array.of(3, 0, 10), Int32Array.of(1, 2, 4, 5, 6, 7, 8)]) {
      const out = new Float32Array(block.length * items);
      scorer.scoreBlock(block, out);
      block.forEach((u, r) => {
        for (let j = 0; j < items; j++) {
          let s = bias[j];
          for (let p = 0; p < stride; p++) s += userFactors[u * stride + p] * itemFactors[j * stride + p];
          expect(Math.abs(out[r * items + j] - s)).toBeLessThan(1e-5);
        }
      });
    }
  });
});
