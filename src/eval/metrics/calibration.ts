/**
 * Calibration (Steck 2018, "Calibrated recommendations"): how far the genre mix of a list is from the genre mix of
 * the user's history. Each item spreads weight 1 evenly over its genres: p(g|i) = 1/|genres(i)|.
 */

/**
 * Genre distribution of a set of items: p(g) = Σ_i p(g|i) / #items with genres. Items without genres are skipped.
 *
 * @example genreMix(Int32Array.of(0, 1), [['a'], ['a', 'b']]) // Map { a: 0.75, b: 0.25 }
 */
export function genreMix(items: ArrayLike<number>, categories: readonly (readonly string[])[]): Map<string, number> {
  const mix = new Map<string, number>();
  let counted = 0;
  for (let i = 0; i < items.length; i++) {
    const genres = categories[items[i]];
    if (genres.length === 0) continue;
    counted++;
    for (const g of genres) mix.set(g, (mix.get(g) ?? 0) + 1 / genres.length);
  }
  if (counted > 0) for (const [g, w] of mix) mix.set(g, w / counted);
  return mix;
}

/**
 * Miscalibration of one list: KL(p‖q̃) = Σ_g p(g) · ln(p(g) / q̃(g)), with p the history's genre mix, q the top-k list's,
 * and q̃ = (1 − α)·q + α·p (α = 0.01, Steck's smoothing so KL stays finite). 0 = perfectly calibrated.
 * Returns undefined when the history has no genres.
 *
 * @example calibrationKl(Int32Array.of(0), Int32Array.of(1), [['a'], ['b']], 1) // ln(1/0.01) = 4.605
 */
export function calibrationKl(
  history: ArrayLike<number>,
  list: ArrayLike<number>,
  categories: readonly (readonly string[])[],
  k: number,
  alpha = 0.01,
): number | undefined {
  const p = genreMix(history, categories);
  if (p.size === 0) return undefined;
  const top = Array.from({ length: Math.min(k, list.length) }, (_, i) => list[i]);
  const q = genreMix(top, categories);
  let kl = 0;
  for (const [g, pg] of p) {
    const qg = (1 - alpha) * (q.get(g) ?? 0) + alpha * pg;
    kl += pg * Math.log(pg / qg);
  }
  return kl;
}
