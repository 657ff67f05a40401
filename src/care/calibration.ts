/** Steck's smoothing: the list's mix is blended with the user's by this much so KL stays finite. */
export const CALIBRATION_ALPHA = 0.01;

/** A category distribution: category name -> probability. */
export type CategoryMix = Map<string, number>;

/**
 * The category mix of weighted items: each item spreads its weight evenly over its categories (Steck 2018, p(g|i)).
 * Items without categories count for nothing. Empty when no item has a category.
 *
 * @example categoryMix([['a'], ['a', 'b']], [1, 1]) // Map { a => 0.75, b => 0.25 }
 */
export function categoryMix(categories: ReadonlyArray<readonly string[]>, weights?: ArrayLike<number>): CategoryMix {
  const mix: CategoryMix = new Map();
  let total = 0;
  categories.forEach((cats, i) => {
    const w = weights?.[i] ?? 1;
    if (cats.length === 0 || !(w > 0)) return;
    for (const c of cats) mix.set(c, (mix.get(c) ?? 0) + w / cats.length);
    total += w;
  });
  for (const [c, v] of mix) mix.set(c, v / total);
  return mix;
}

/**
 * KL(p ‖ q̃) with q̃ = (1 − α) q + α p (Steck 2018): how far the list's mix q is from the user's p, in nats.
 *
 * @example calibrationKl(new Map([['a', 0.5], ['b', 0.5]]), new Map([['a', 1]])) // ≈ 1.96
 */
export function calibrationKl(p: CategoryMix, q: CategoryMix, alpha = CALIBRATION_ALPHA): number {
  let kl = 0;
  for (const [c, pc] of p) {
    if (pc <= 0) continue;
    kl += pc * Math.log(pc / ((1 - alpha) * (q.get(c) ?? 0) + alpha * pc));
  }
  return kl;
}

/**
 * Steck's greedy calibrated re-ranking: picks `k` of the candidates one at a time, each maximising
 * (1 − λ) · Σ relevance − λ · KL(user mix ‖ mix of the picked), so the list's categories approach the user's own.
 * λ 0 keeps the input order. Returns candidate positions, picked first.
 *
 * @example calibratedOrder([['a'], ['a'], ['b']], Float64Array.of(1, 0.67, 0.33), new Map([['a', 0.5], ['b', 0.5]]), 2, 0.5) // [0, 2]
 */
export function calibratedOrder(
  categories: ReadonlyArray<readonly string[]>, relevance: Float64Array, user: CategoryMix, k: number, lambda: number,
): number[] {
  const n = relevance.length;
  const want = Math.min(k, n);
  if (lambda <= 0 || user.size === 0) return Array.from({ length: want }, (_, i) => i);
  const taken = new Uint8Array(n);
  const counts = new Map<string, number>();
  let mass = 0;
  let relevanceSum = 0;
  const order: number[] = [];
  const klWith = (cats: readonly string[]): number => {
    const m = mass + (cats.length > 0 ? 1 : 0);
    const q: CategoryMix = new Map();
    for (const [c, v] of counts) q.set(c, v / m);
    for (const c of cats) q.set(c, (q.get(c) ?? 0) + 1 / cats.length / m);
    return calibrationKl(user, m > 0 ? q : new Map());
  };
  while (order.length < want) {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      const score = (1 - lambda) * (relevanceSum + relevance[i]) - lambda * klWith(categories[i]);
      if (score > bestScore) [best, bestScore] = [i, score];
    }
    taken[best] = 1;
    order.push(best);
    relevanceSum += relevance[best];
    const cats = categories[best];
    if (cats.length > 0) mass += 1;
    for (const c of cats) counts.set(c, (counts.get(c) ?? 0) + 1 / cats.length);
  }
  return order;
}
