import { zerosLike, type Vec } from './dense.js';
import { gemmAccumulate, transposeInto } from './gemm.js';
import { candidateColumns, singleTargets, TokenTargetRow, type TokenTargets } from './token-targets.js';
import { WasmSoftmaxLoss } from './wasm-softmax-loss.js';

/** Tokens scored together: bounds the logits block (CHUNK x candidates) while keeping the products large. */
const CHUNK = 128;
let wasm: WasmSoftmaxLoss | undefined;

/**
 * Cross-entropy of each token's targets: softmax over the token's targets and the `candidates` (every item for the
 * full softmax the 2023 SASRec re-evaluations found matters most, or a batch's shared uniformly sampled negatives; a
 * candidate equal to a target counts once, so the two cases are one formula). A token with several targets (the next
 * few items, as in PinnerFormer's dense all-action loss) pays Σ_k w_k (log Σ_S e^z − z_{t_k}) over one shared
 * denominator, so d loss / d z_j = softmax_j · Σ_k w_k − Σ_k w_k [j = t_k]. Logits are dot products with the item
 * embeddings (the output layer is tied to the input). With uniform sampling the log-q correction is the same for
 * every item, so none is applied. A token's seen items (`targets.seen`) get logit −∞: no share, no gradient. Returns
 * the mean loss over tokens; accumulates dh (tokens x width) and dItemEmb (items x width). Float32 buffers run on the
 * WebAssembly kernels (WasmSoftmaxLoss), others (float64 gradient checks) in TypeScript (softmaxLossTs); both give the
 * same numbers up to float rounding.
 *
 * @example const loss = softmaxLoss(h, itemEmb, allItems(nItems), targets, d, dh, dItemEmb)
 */
export function softmaxLoss(h: Vec, itemEmb: Vec, candidates: Int32Array, targets: Int32Array | TokenTargets, width: number, dh: Vec, dItemEmb: Vec): number {
  const tt = targets instanceof Int32Array ? singleTargets(targets) : targets;
  if (h instanceof Float32Array && itemEmb instanceof Float32Array && dh instanceof Float32Array && dItemEmb instanceof Float32Array) {
    return (wasm ??= new WasmSoftmaxLoss()).loss(h, itemEmb, candidates, tt, width, dh, dItemEmb);
  }
  return softmaxLossTs(h, itemEmb, candidates, tt, width, dh, dItemEmb);
}

/** The TypeScript path of softmaxLoss (float64 gradient checks; the reference the WebAssembly path is tested against). */
export function softmaxLossTs(h: Vec, itemEmb: Vec, candidates: Int32Array, tt: TokenTargets, width: number, dh: Vec, dItemEmb: Vec): number {
  const rows = tt.items.length / tt.perToken;
  const m = candidates.length;
  const inv = 1 / rows;
  const column = candidateColumns(candidates, itemEmb.length / width);
  const cand = zerosLike(itemEmb, m * width);
  for (let j = 0; j < m; j++) cand.set(itemEmb.subarray(candidates[j] * width, (candidates[j] + 1) * width), j * width);
  const candT = zerosLike(itemEmb, m * width);
  transposeInto(cand, m, width, candT);
  const dCand = zerosLike(itemEmb, m * width);
  const logits = zerosLike(itemEmb, CHUNK * m);
  const logitsT = zerosLike(itemEmb, CHUNK * m);
  const row = new TokenTargetRow(tt, column, width);
  let loss = 0;
  for (let r0 = 0; r0 < rows; r0 += CHUNK) {
    const n = Math.min(CHUNK, rows - r0);
    const hc = h.subarray(r0 * width, (r0 + n) * width);
    logits.fill(0);
    gemmAccumulate(hc, candT, logits, n, width, m);
    for (let r = 0; r < n; r++) {
      const t = r0 + r;
      const lo = r * m;
      row.read(t, logits, lo, h, itemEmb);
      row.maskSeen(t, logits, lo);
      let max = -Infinity;
      for (let j = 0; j < m; j++) if (logits[lo + j] > max) max = logits[lo + j];
      max = row.maxWith(max);
      let sum = 0;
      for (let j = 0; j < m; j++) {
        const p = Math.exp(logits[lo + j] - max);
        logits[lo + j] = p;
        sum += p;
      }
      sum += row.exponentiate(max);
      loss += row.totalWeight * (Math.log(sum) + max) - row.weightedLogit;
      const scale = (row.totalWeight * inv) / sum;
      for (let j = 0; j < m; j++) logits[lo + j] *= scale;
      row.gradient(t, logits, lo, scale, inv, h, itemEmb, dh, dItemEmb);
    }
    // the logits block now holds d loss / d logits
    gemmAccumulate(logits, cand, dh.subarray(r0 * width, (r0 + n) * width), n, m, width);
    transposeInto(logits, n, m, logitsT);
    gemmAccumulate(logitsT, hc, dCand, m, n, width);
  }
  for (let j = 0; j < m; j++) {
    const o = candidates[j] * width;
    for (let c = 0; c < width; c++) dItemEmb[o + c] += dCand[j * width + c];
  }
  return loss * inv;
}

/**
 * `count` distinct items drawn uniformly from 0 .. nItems − 1 (every item when count ≥ nItems).
 *
 * @example sampleNegatives(1682, 256, rand)
 */
export function sampleNegatives(nItems: number, count: number, rand: () => number): Int32Array {
  if (count >= nItems) return allItems(nItems);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(rand() * nItems));
  return Int32Array.from(chosen);
}

/** 0 .. nItems − 1: the candidates of the full softmax. */
export function allItems(nItems: number): Int32Array {
  return Int32Array.from({ length: nItems }, (_, i) => i);
}
