import type { Vec } from './dense.js';
import { WasmAttention } from './wasm-attention.js';

let wasm: WasmAttention | undefined;

/** Float32 operands with a head width of whole SIMD vectors go to WebAssembly; float64 (gradient checks) stays here. */
function onWasm(vs: Vec[], width: number, heads: number): vs is Float32Array[] {
  return (width / heads) % 4 === 0 && vs.every((v) => v instanceof Float32Array);
}

/**
 * A batch of sequences laid end to end: segment s covers tokens start[s] .. start[s] + length[s] − 1. Attention
 * never crosses segments, so batches need no padding.
 */
export interface Segments {
  start: Int32Array;
  length: Int32Array;
}

/** Where each segment's attention weights live in the probabilities buffer (heads · length² per segment). */
export function probabilityOffsets(seg: Segments, heads: number): { offsets: Int32Array; total: number } {
  const offsets = new Int32Array(seg.start.length);
  let total = 0;
  for (let s = 0; s < offsets.length; s++) {
    offsets[s] = total;
    total += heads * seg.length[s] * seg.length[s];
  }
  return { offsets, total };
}

/**
 * Causal multi-head scaled dot-product attention: in every segment, token i of head h attends to tokens j ≤ i with
 * weights softmax_j(q_i · k_j / sqrt(dh)) and outputs Σ_j p_ij v_j. q, k, v and out are tokens x width, head h owning
 * columns h·dh .. (h+1)·dh − 1. The weights are kept in `probs` (at probabilityOffsets) for the backward pass. Runs on
 * the WebAssembly SIMD kernels (WasmAttention) for float32 when dh is a multiple of 4, else in TypeScript.
 *
 * @example causalAttentionForward(q, k, v, out, probs, offsets, seg, width, heads)
 */
export function causalAttentionForward(q: Vec, k: Vec, v: Vec, out: Vec, probs: Vec, offsets: Int32Array, seg: Segments, width: number, heads: number): void {
  const ops = [q, k, v, out, probs];
  if (onWasm(ops, width, heads)) {
    const [q32, k32, v32, out32, p32] = ops;
    (wasm ??= new WasmAttention()).forward(q32, k32, v32, out32, p32, offsets, seg, width, heads);
    return;
  }
  causalAttentionForwardTs(q, k, v, out, probs, offsets, seg, width, heads);
}

/** The TypeScript path of causalAttentionForward (float64 gradient checks, odd head widths). */
export function causalAttentionForwardTs(q: Vec, k: Vec, v: Vec, out: Vec, probs: Vec, offsets: Int32Array, seg: Segments, width: number, heads: number): void {
  const dh = width / heads;
  const scale = 1 / Math.sqrt(dh);
  for (let s = 0; s < seg.start.length; s++) {
    const st = seg.start[s];
    const len = seg.length[s];
    for (let h = 0; h < heads; h++) {
      const base = offsets[s] + h * len * len;
      const col = h * dh;
      for (let i = 0; i < len; i++) {
        const qo = (st + i) * width + col;
        const po = base + i * len;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          const ko = (st + j) * width + col;
          let dot = 0;
          for (let c = 0; c < dh; c++) dot += q[qo + c] * k[ko + c];
          const score = dot * scale;
          probs[po + j] = score;
          if (score > max) max = score;
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) {
          const e = Math.exp(probs[po + j] - max);
          probs[po + j] = e;
          sum += e;
        }
        for (let c = 0; c < dh; c++) out[qo + c] = 0;
        for (let j = 0; j <= i; j++) {
          const p = probs[po + j] / sum;
          probs[po + j] = p;
          const vo = (st + j) * width + col;
          for (let c = 0; c < dh; c++) out[qo + c] += p * v[vo + c];
        }
      }
    }
  }
}

/**
 * Backward of causalAttentionForward: from dOut, accumulates dq, dk and dv. With dp_ij = dOut_i · v_j, the softmax
 * backward is ds_ij = p_ij (dp_ij − Σ_j' p_ij' dp_ij'); then dq_i += ds_ij k_j / sqrt(dh) and dk_j += ds_ij q_i / sqrt(dh).
 * WebAssembly or TypeScript as for the forward pass.
 *
 * @example causalAttentionBackward(q, k, v, probs, offsets, seg, dOut, dq, dk, dv, width, heads)
 */
export function causalAttentionBackward(
  q: Vec, k: Vec, v: Vec, probs: Vec, offsets: Int32Array, seg: Segments,
  dOut: Vec, dq: Vec, dk: Vec, dv: Vec, width: number, heads: number,
): void {
  const ops = [q, k, v, probs, dOut, dq, dk, dv];
  if (onWasm(ops, width, heads)) {
    const [q32, k32, v32, p32, do32, dq32, dk32, dv32] = ops;
    (wasm ??= new WasmAttention()).backward(q32, k32, v32, p32, offsets, seg, do32, dq32, dk32, dv32, width, heads);
    return;
  }
  causalAttentionBackwardTs(q, k, v, probs, offsets, seg, dOut, dq, dk, dv, width, heads);
}

/** The TypeScript path of causalAttentionBackward. */
export function causalAttentionBackwardTs(
  q: Vec, k: Vec, v: Vec, probs: Vec, offsets: Int32Array, seg: Segments,
  dOut: Vec, dq: Vec, dk: Vec, dv: Vec, width: number, heads: number,
): void {
  const dh = width / heads;
  const scale = 1 / Math.sqrt(dh);
  let maxLen = 0;
  for (let s = 0; s < seg.length.length; s++) maxLen = Math.max(maxLen, seg.length[s]);
  const dp = new Float64Array(maxLen);
  for (let s = 0; s < seg.start.length; s++) {
    const st = seg.start[s];
    const len = seg.length[s];
    for (let h = 0; h < heads; h++) {
      const base = offsets[s] + h * len * len;
      const col = h * dh;
      for (let i = 0; i < len; i++) {
        const qo = (st + i) * width + col;
        const po = base + i * len;
        let weighted = 0;
        for (let j = 0; j <= i; j++) {
          const vo = (st + j) * width + col;
          const p = probs[po + j];
          let dot = 0;
          for (let c = 0; c < dh; c++) {
            dot += dOut[qo + c] * v[vo + c];
            dv[vo + c] += p * dOut[qo + c];
          }
          dp[j] = dot;
          weighted += p * dot;
        }
        for (let j = 0; j <= i; j++) {
          const ds = probs[po + j] * (dp[j] - weighted) * scale;
          if (ds === 0) continue;
          const ko = (st + j) * width + col;
          for (let c = 0; c < dh; c++) {
            dq[qo + c] += ds * k[ko + c];
            dk[ko + c] += ds * q[qo + c];
          }
        }
      }
    }
  }
}
