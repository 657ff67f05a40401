/**
 * Relevance by position: the first of n candidates 1, the last 1/n. The fused order is what re-ranking keeps close
 * to; positions are scale-free where fused scores are not (each fusion has its own scale).
 *
 * @example positionalRelevance(4) // [1, 0.75, 0.5, 0.25]
 */
export function positionalRelevance(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, p) => (n - p) / n);
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998): picks `k` of n candidates one at a time, each maximising
 * (1 − strength) · relevance − strength · (its largest similarity to the ones already picked); ties keep the input
 * order. Returns candidate positions, picked first; strength 0 returns 0..k−1.
 *
 * @example mmrOrder(Float64Array.of(1, 0.9, 0.1, 0.9, 1, 0.1, 0.1, 0.1, 1), Float64Array.of(1, 0.67, 0.33), 2, 0.5) // [0, 2]
 */
export function mmrOrder(sim: Float64Array, relevance: Float64Array, k: number, strength: number): number[] {
  const n = relevance.length;
  const maxSim = new Float64Array(n);
  const taken = new Uint8Array(n);
  const order: number[] = [];
  for (let step = 0; step < Math.min(k, n); step++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      const score = (1 - strength) * relevance[i] - strength * maxSim[i];
      if (score > bestScore) [best, bestScore] = [i, score];
    }
    taken[best] = 1;
    order.push(best);
    for (let i = 0; i < n; i++) if (!taken[i]) maxSim[i] = Math.max(maxSim[i], sim[i * n + best]);
  }
  return order;
}
