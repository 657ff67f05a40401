/** Below this conditional variance an item adds nothing new to the picked set (it is in their span). */
const EPSILON = 1e-9;

/**
 * Diagonal jitter: S is replaced by (S + δI) / (1 + δ). Without it an item exactly like a picked one (same genres under
 * genre Jaccard) has conditional variance 0, log 0 = −∞, and is shut out at any strength, however small: the stage
 * was all-or-nothing on category data. With δ = 0.1 a duplicate's log-variance is log(1 − 1/1.21) ≈ −1.75, a finite
 * cost that the strength scales smoothly.
 */
export const DPP_JITTER = 0.1;

/**
 * Fast greedy MAP inference for a DPP (Chen, Zhang & Zhou, NeurIPS 2018) with the quality-diversity kernel
 * L = diag(q) · S · diag(q) (S with a small diagonal jitter, DPP_JITTER), q_i = exp(α · relevance_i), α = (1 − strength) / (2 · strength). Each step adds the item
 * of largest log-det gain, log q_i² + log d_i², where d_i² is its conditional variance under S given the items
 * picked; d_i² and the rows of the incremental Cholesky factor are updated in O(n · picked), O(n k²) in all.
 * Multiplied by strength the gain is (1 − strength) · relevance + strength · log d_i²: the same trade-off as MMR.
 * When every remaining item is in the span of the picked ones, the rest follow in input order. Strength 0 returns
 * 0..k−1. Returns candidate positions, picked first.
 *
 * @example dppOrder(Float64Array.of(1, 0.9, 0, 0.9, 1, 0, 0, 0, 1), Float64Array.of(1, 0.67, 0.33), 2, 0.5) // [0, 2]
 */
export function dppOrder(sim: Float64Array, relevance: Float64Array, k: number, strength: number): number[] {
  const n = relevance.length;
  const want = Math.min(k, n);
  if (strength <= 0) return Array.from({ length: want }, (_, i) => i);
  const scale = 1 / (1 + DPP_JITTER);
  const d2 = Float64Array.from({ length: n }, (_, i) => (sim[i * n + i] + DPP_JITTER) * scale);
  const rows = Array.from({ length: n }, () => new Float64Array(want));
  const taken = new Uint8Array(n);
  const order: number[] = [];
  while (order.length < want) {
    let best = -1;
    let bestGain = -Infinity;
    for (let i = 0; i < n; i++) {
      if (taken[i] || d2[i] < EPSILON) continue;
      const gain = (1 - strength) * relevance[i] + strength * Math.log(d2[i]);
      if (gain > bestGain) [best, bestGain] = [i, gain];
    }
    if (best < 0) break;
    const step = order.length;
    const dj = Math.sqrt(d2[best]);
    taken[best] = 1;
    order.push(best);
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      let dot = 0;
      for (let t = 0; t < step; t++) dot += rows[best][t] * rows[i][t];
      const e = (sim[best * n + i] * scale - dot) / dj;
      rows[i][step] = e;
      d2[i] -= e * e;
    }
  }
  for (let i = 0; i < n && order.length < want; i++) if (!taken[i]) order.push(i);
  return order;
}
