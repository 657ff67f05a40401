/** Seeded sampling helpers for the synthetic data: picks, weighted choices, Zipf ranks and skewed counts. */
import type { Random } from '../eval/random.js';

/** A uniformly chosen element. */
export function pick<T>(rng: Random, list: readonly T[]): T {
  return list[rng.int(list.length)];
}

/** True with probability p. */
export function chance(rng: Random, p: number): boolean {
  return rng.next() < p;
}

/** k distinct elements in random order (all of them when k >= length). */
export function sample<T>(rng: Random, list: readonly T[], k: number): T[] {
  const copy = list.slice();
  const n = Math.min(k, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(copy.length - i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

/** Index drawn with probability proportional to weights[i]. */
export function weightedIndex(rng: Random, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let r = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/**
 * Draws ranks 0..n-1 with P(rank r) proportional to 1 / (r + 1)^exponent: a few items get most of the attention.
 *
 * @example const draw = zipfSampler(100, 1.1); draw(rng) // usually a small rank
 */
export function zipfSampler(n: number, exponent: number): (rng: Random) => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    total += 1 / Math.pow(r + 1, exponent);
    cumulative[r] = total;
  }
  return (rng) => {
    const target = rng.next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** A log-normally distributed positive number with the given median (sigma in log space). */
export function logNormal(rng: Random, median: number, sigma: number): number {
  // Box-Muller; 1 - next() keeps the log argument in (0, 1].
  const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return median * Math.exp(sigma * z);
}
