import type { TransformerKernelExports } from '../linalg/wasm/transformer-kernels.js';
import { TransformerKernelInstance } from './kernel-instance.js';
import type { Segments } from './attention.js';

/**
 * Causal multi-head attention forward and backward on the WebAssembly SIMD kernels of transformer-wat.ts (float32, head
 * width a multiple of 4), with the same contract as causalAttentionForward / causalAttentionBackward in attention.ts:
 * the operands are copied into one private memory (O(tokens · width) against O(tokens · length · width) of work), the
 * kernels run one segment and head per call, and the results are copied back. The softmax between scores and context
 * runs on the output softmax's row kernels (rowMax, expShiftSum, scaleRow). One instance per thread; its memory grows
 * (by replacement) to the largest batch.
 *
 * @example new WasmAttention().forward(q, k, v, out, probs, offsets, seg, width, heads)
 */
export class WasmAttention {
  private readonly instance = new TransformerKernelInstance();

  forward(q: Float32Array, k: Float32Array, v: Float32Array, out: Float32Array, probs: Float32Array, offsets: Int32Array, seg: Segments, width: number, heads: number): void {
    const n = q.length;
    const [qp, kp, vp, op, pp] = [0, n, 2 * n, 3 * n, 4 * n].map((f) => f * 4);
    const kernels = this.instance.ensure(pp + probs.length * 4);
    const mem = this.instance.floats();
    mem.set(q, qp / 4);
    mem.set(k, kp / 4);
    mem.set(v, vp / 4);
    // the kernels write only j ≤ i of each row: the rest must read 0 as it does from the TypeScript path
    mem.fill(0, pp / 4, pp / 4 + probs.length);
    const dh = width / heads;
    const scale = 1 / Math.sqrt(dh);
    const row = width * 4;
    for (let s = 0; s < seg.start.length; s++) {
      const len = seg.length[s];
      for (let h = 0; h < heads; h++) {
        const at = (seg.start[s] * width + h * dh) * 4;
        const block = offsets[s] + h * len * len;
        kernels.attnScores(qp + at, kp + at, pp + block * 4, len, row, dh, scale);
        softmaxCausalRows(kernels, pp + block * 4, len);
        kernels.attnContext(pp + block * 4, vp + at, op + at, len, row, dh);
      }
    }
    out.set(mem.subarray(op / 4, op / 4 + n));
    probs.set(mem.subarray(pp / 4, pp / 4 + probs.length));
  }

  backward(
    q: Float32Array, k: Float32Array, v: Float32Array, probs: Float32Array, offsets: Int32Array, seg: Segments,
    dOut: Float32Array, dq: Float32Array, dk: Float32Array, dv: Float32Array, width: number, heads: number,
  ): void {
    const n = q.length;
    let maxLen = 0;
    for (let s = 0; s < seg.length.length; s++) maxLen = Math.max(maxLen, seg.length[s]);
    const [qp, kp, vp, dop, dqp, dkp, dvp, pp] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => i * n * 4);
    const dpp = pp + probs.length * 4;
    const kernels = this.instance.ensure(dpp + maxLen * 4);
    const mem = this.instance.floats();
    [q, k, v, dOut, dq, dk, dv].forEach((a, i) => mem.set(a, i * n));
    mem.set(probs, pp / 4);
    const dh = width / heads;
    const scale = 1 / Math.sqrt(dh);
    const row = width * 4;
    for (let s = 0; s < seg.start.length; s++) {
      const len = seg.length[s];
      for (let h = 0; h < heads; h++) {
        const at = (seg.start[s] * width + h * dh) * 4;
        const block = (offsets[s] + h * len * len) * 4;
        kernels.attnBackward(qp + at, kp + at, vp + at, pp + block, dop + at, dqp + at, dkp + at, dvp + at, len, row, dh, scale, dpp);
      }
    }
    dq.set(mem.subarray(dqp / 4, dqp / 4 + n));
    dk.set(mem.subarray(dkp / 4, dkp / 4 + n));
    dv.set(mem.subarray(dvp / 4, dvp / 4 + n));
  }
}

/**
 * Row i of the len x len block at byte `base` := softmax of its first i + 1 scores (as the TypeScript forward does),
 * on the softmax loss's row kernels (their SIMD exp, within 8.2e-8 relative of Math.exp).
 */
function softmaxCausalRows(kernels: TransformerKernelExports, base: number, len: number): void {
  for (let i = 0; i < len; i++) {
    const row = base + i * len * 4;
    const max = kernels.rowMax(row, i + 1);
    kernels.scaleRow(row, i + 1, i + 1, 1 / kernels.expShiftSum(row, i + 1, max));
  }
}
