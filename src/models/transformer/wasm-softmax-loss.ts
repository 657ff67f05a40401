import { TransformerKernelInstance } from './kernel-instance.js';
import { candidateColumns, TokenTargetRow, type TokenTargets } from './token-targets.js';

/** Tokens scored together: the logits block (CHUNK x candidates, ~1 MB at 2,048 candidates) stays in cache. */
const CHUNK = 128;

const up = (x: number, to: number): number => Math.ceil(x / to) * to;

/**
 * softmaxLoss (softmax-loss.ts, same contract) for float32 on the WebAssembly kernels of transformer-wat.ts. The
 * candidates' embeddings are gathered and packed once per call (for the logits product, and for the two gradient
 * products); the hidden states, their gradient and the candidates' gradient stay in the instance's memory until the
 * end. Per chunk of tokens: logits = h · candᵀ (gemmRowsAccF32), each row's max, e^(z − max) with a SIMD exp and its
 * sum (rowMax, expShiftSum), the row scaled into d loss / d z (scaleRow) and the targets' part subtracted
 * (TokenTargetRow, shared with the TypeScript path), then dh += G · cand (gemmRowsAccF32) and dCand += Gᵀ · h
 * (gemmColsAccF32, reading G in place). Width and candidates are padded to multiples of 8 with zeros. One instance per
 * thread; its memory grows (by replacement) to the largest call.
 *
 * @example new WasmSoftmaxLoss().loss(h, itemEmb, negatives, targets, 64, dh, dItemEmb)
 */
export class WasmSoftmaxLoss {
  private readonly instance = new TransformerKernelInstance();

  loss(h: Float32Array, itemEmb: Float32Array, candidates: Int32Array, tt: TokenTargets, width: number, dh: Float32Array, dItemEmb: Float32Array): number {
    const rows = tt.items.length / tt.perToken;
    const m = candidates.length;
    const dp = up(width, 8);
    const mp = up(m, 8);
    const rowsP = up(rows, 4);
    // float offsets into the memory: candidates row-major, packed for the logits product (candᵀ strips) and for
    // dh += G · cand (cand strips), their gradient, h and dh (rows x dp), one chunk of h packed, the logits block
    const cand = 0;
    const candT = cand + mp * dp;
    const candP = candT + mp * dp;
    const dCand = candP + mp * dp;
    const hm = dCand + mp * dp;
    const dhm = hm + rowsP * dp;
    const hcP = dhm + rowsP * dp;
    const logits = hcP + CHUNK * dp;
    // the block's row stride: 4 floats past mp, so that gemmColsAccF32 walking down a column (one row per step) does
    // not hit the same cache set every time, as a power-of-two stride (2,048 floats) would
    const ld = mp + 4;
    const kernels = this.instance.ensure((logits + CHUNK * ld) * 4);
    const mem = this.instance.floats();

    mem.fill(0, cand, candT);
    for (let j = 0; j < m; j++) mem.set(itemEmb.subarray(candidates[j] * width, (candidates[j] + 1) * width), cand + j * dp);
    kernels.packT8(cand * 4, dp, mp, dp, candT * 4);
    kernels.pack8(cand * 4, dp, mp, dp, candP * 4);
    if (dp === width) mem.set(h.subarray(0, rows * width), hm);
    else {
      mem.fill(0, hm, hm + rows * dp);
      for (let t = 0; t < rows; t++) mem.set(h.subarray(t * width, (t + 1) * width), hm + t * dp);
    }
    mem.fill(0, hm + rows * dp, dhm + rowsP * dp);
    mem.fill(0, dCand, hm);

    const inv = 1 / rows;
    const row = new TokenTargetRow(tt, candidateColumns(candidates, itemEmb.length / width), width);
    let loss = 0;
    for (let r0 = 0; r0 < rows; r0 += CHUNK) {
      const n = Math.min(CHUNK, rows - r0);
      const nP = up(n, 4);
      kernels.gemmRowsAccF32(logits * 4, ld, (hm + r0 * dp) * 4, dp, candT * 4, nP, mp, dp, 0);
      for (let r = 0; r < n; r++) {
        const t = r0 + r;
        const lo = logits + r * ld;
        row.read(t, mem, lo, h, itemEmb);
        row.maskSeen(t, mem, lo);
        // a float32 shift, so the kernel and the extras subtract the same number
        const max = Math.fround(row.maxWith(kernels.rowMax(lo * 4, m)));
        const sum = kernels.expShiftSum(lo * 4, m, max) + row.exponentiate(max);
        loss += row.totalWeight * (Math.log(sum) + max) - row.weightedLogit;
        const scale = (row.totalWeight * inv) / sum;
        kernels.scaleRow(lo * 4, m, mp, scale);
        row.gradient(t, mem, lo, scale, inv, h, itemEmb, dh, dItemEmb);
      }
      // the block now holds G = d loss / d logits (rows past n read zero h, so their G rows are 0)
      kernels.pack8((hm + r0 * dp) * 4, dp, n, dp, hcP * 4);
      kernels.gemmRowsAccF32((dhm + r0 * dp) * 4, dp, logits * 4, ld, candP * 4, nP, dp, mp, 1);
      kernels.gemmColsAccF32(dCand * 4, dp, logits * 4, ld, hcP * 4, mp, dp, n, 1);
    }
    for (let t = 0; t < rows; t++) {
      const o = t * width;
      const from = dhm + t * dp;
      for (let c = 0; c < width; c++) dh[o + c] += mem[from + c];
    }
    for (let j = 0; j < m; j++) {
      const o = candidates[j] * width;
      const from = dCand + j * dp;
      for (let c = 0; c < width; c++) dItemEmb[o + c] += mem[from + c];
    }
    return loss * inv;
  }
}
