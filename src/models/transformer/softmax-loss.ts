import { zerosLike, type Vec } from './dense.js';
import { gemmAccumulate, transposeInto } from './gemm.js';

/** Tokens scored together: bounds the logits block (CHUNK x candidates) while keeping the products large. */
const CHUNK = 128;

/**
 * Cross-entropy of each token's next item: softmax over the target and the `candidates` (every item for the full
 * softmax the 2023 SASRec re-evaluations found matters most, or a batch's shared uniformly sampled negatives; a
 * candidate equal to a token's target is left out of its row, so the two cases are one formula). Logits are dot
 * products with the item embeddings (the output layer is tied to the input). With uniform sampling the log-q
 * correction is the same for every item, so none is applied. Returns the mean loss over tokens; accumulates dh
 * (tokens x width) and dItemEmb (items x width).
 *
 * @example const loss = softmaxLoss(h, itemEmb, allItems, targets, d, dh, dItemEmb)
 */
export function softmaxLoss(h: Vec, itemEmb: Vec, candidates: Int32Array, targets: Int32Array, width: number, dh: Vec, dItemEmb: Vec): number {
  const rows = targets.length;
  const m = candidates.length;
  const inv = 1 / rows;
  const column = new Int32Array(itemEmb.length / width).fill(-1);
  candidates.forEach((item, j) => (column[item] = j));
  const cand = zerosLike(itemEmb, m * width);
  for (let j = 0; j < m; j++) cand.set(itemEmb.subarray(candidates[j] * width, (candidates[j] + 1) * width), j * width);
  const candT = zerosLike(itemEmb, m * width);
  transposeInto(cand, m, width, candT);
  const dCand = zerosLike(itemEmb, m * width);
  const logits = zerosLike(itemEmb, CHUNK * m);
  const logitsT = zerosLike(itemEmb, CHUNK * m);
  let loss = 0;
  for (let r0 = 0; r0 < rows; r0 += CHUNK) {
    const n = Math.min(CHUNK, rows - r0);
    const hc = h.subarray(r0 * width, (r0 + n) * width);
    logits.fill(0);
    gemmAccumulate(hc, candT, logits, n, width, m);
    for (let r = 0; r < n; r++) {
      const t = r0 + r;
      const target = targets[t];
      const to = target * width;
      const ho = t * width;
      let targetLogit = 0;
      for (let c = 0; c < width; c++) targetLogit += h[ho + c] * itemEmb[to + c];
      const lo = r * m;
      const skip = column[target];
      let max = targetLogit;
      for (let j = 0; j < m; j++) if (j !== skip && logits[lo + j] > max) max = logits[lo + j];
      const pTarget = Math.exp(targetLogit - max);
      let sum = pTarget;
      for (let j = 0; j < m; j++) {
        const e = j === skip ? 0 : Math.exp(logits[lo + j] - max);
        logits[lo + j] = e;
        sum += e;
      }
      loss += Math.log(sum) + max - targetLogit;
      const norm = inv / sum;
      for (let j = 0; j < m; j++) logits[lo + j] *= norm;
      const gTarget = pTarget * norm - inv;
      for (let c = 0; c < width; c++) {
        dh[ho + c] += gTarget * itemEmb[to + c];
        dItemEmb[to + c] += gTarget * h[ho + c];
      }
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
