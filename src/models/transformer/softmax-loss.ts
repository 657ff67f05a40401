import { zerosLike, type Vec } from './dense.js';
import { gemmAccumulate, transposeInto } from './gemm.js';

/** Tokens scored together: bounds the logits block (CHUNK x candidates) while keeping the products large. */
const CHUNK = 128;

/**
 * Several weighted targets per token: `items` and `weights` are tokens x perToken, row-major; an item of −1 is no
 * target (a token near the end of its sequence has fewer items ahead of it).
 */
export interface TokenTargets {
  items: Int32Array;
  weights: Float32Array;
  perToken: number;
}

/** One target per token, weight 1: the plain next-item loss. */
function singleTargets(targets: Int32Array): TokenTargets {
  return { items: targets, weights: new Float32Array(targets.length).fill(1), perToken: 1 };
}

/**
 * Cross-entropy of each token's targets: softmax over the token's targets and the `candidates` (every item for the
 * full softmax the 2023 SASRec re-evaluations found matters most, or a batch's shared uniformly sampled negatives; a
 * candidate equal to a target counts once, so the two cases are one formula). A token with several targets (the next
 * few items, as in PinnerFormer's dense all-action loss) pays Σ_k w_k (log Σ_S e^z − z_{t_k}) over one shared
 * denominator, so d loss / d z_j = softmax_j · Σ_k w_k − Σ_k w_k [j = t_k]. Logits are dot products with the item
 * embeddings (the output layer is tied to the input). With uniform sampling the log-q correction is the same for
 * every item, so none is applied. Returns the mean loss over tokens; accumulates dh (tokens x width) and dItemEmb
 * (items x width).
 *
 * @example const loss = softmaxLoss(h, itemEmb, allItems(nItems), targets, d, dh, dItemEmb)
 */
export function softmaxLoss(h: Vec, itemEmb: Vec, candidates: Int32Array, targets: Int32Array | TokenTargets, width: number, dh: Vec, dItemEmb: Vec): number {
  const tt = targets instanceof Int32Array ? singleTargets(targets) : targets;
  const K = tt.perToken;
  const rows = tt.items.length / K;
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
  // targets outside the candidates, per row: their item, logit (then probability) and summed weight
  const extraItem = new Int32Array(K);
  const extraLogit = new Float64Array(K);
  const extraWeight = new Float64Array(K);
  let loss = 0;
  for (let r0 = 0; r0 < rows; r0 += CHUNK) {
    const n = Math.min(CHUNK, rows - r0);
    const hc = h.subarray(r0 * width, (r0 + n) * width);
    logits.fill(0);
    gemmAccumulate(hc, candT, logits, n, width, m);
    for (let r = 0; r < n; r++) {
      const t = r0 + r;
      const ho = t * width;
      const lo = r * m;
      let extras = 0;
      let totalWeight = 0;
      let weightedLogit = 0;
      for (let k = 0; k < K; k++) {
        const item = tt.items[t * K + k];
        const w = tt.weights[t * K + k];
        if (item < 0 || w === 0) continue;
        totalWeight += w;
        const col = column[item];
        if (col >= 0) {
          weightedLogit += w * logits[lo + col];
          continue;
        }
        let e = 0;
        while (e < extras && extraItem[e] !== item) e++;
        if (e === extras) {
          extraItem[e] = item;
          extraWeight[e] = 0;
          let z = 0;
          for (let c = 0; c < width; c++) z += h[ho + c] * itemEmb[item * width + c];
          extraLogit[e] = z;
          extras++;
        }
        extraWeight[e] += w;
        weightedLogit += w * extraLogit[e];
      }
      let max = -Infinity;
      for (let j = 0; j < m; j++) if (logits[lo + j] > max) max = logits[lo + j];
      for (let e = 0; e < extras; e++) if (extraLogit[e] > max) max = extraLogit[e];
      let sum = 0;
      for (let j = 0; j < m; j++) {
        const p = Math.exp(logits[lo + j] - max);
        logits[lo + j] = p;
        sum += p;
      }
      for (let e = 0; e < extras; e++) {
        extraLogit[e] = Math.exp(extraLogit[e] - max);
        sum += extraLogit[e];
      }
      loss += totalWeight * (Math.log(sum) + max) - weightedLogit;
      const scale = (totalWeight * inv) / sum;
      for (let j = 0; j < m; j++) logits[lo + j] *= scale;
      for (let k = 0; k < K; k++) {
        const item = tt.items[t * K + k];
        if (item >= 0 && column[item] >= 0) logits[lo + column[item]] -= tt.weights[t * K + k] * inv;
      }
      for (let e = 0; e < extras; e++) {
        const g = extraLogit[e] * scale - extraWeight[e] * inv;
        const to = extraItem[e] * width;
        for (let c = 0; c < width; c++) {
          dh[ho + c] += g * itemEmb[to + c];
          dItemEmb[to + c] += g * h[ho + c];
        }
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
