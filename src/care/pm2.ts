import type { CategoryMix } from './calibration.js';

/** PM-2's weight of the aspect whose turn it is against the others (Dang & Croft 2012 use λ around 0.5). */
const TURN_WEIGHT = 0.5;

/**
 * PM-2 (Dang & Croft, SIGIR 2012): proportional diversification by the Sainte-Laguë method. Each list place goes to
 * the category whose quotient v_a / (2 s_a + 1) is largest (v_a its share in `target`, s_a the seats it holds); each
 * candidate scores λ · qt[a*] · c(d, a*) + (1 − λ) · Σ_{a≠a*} qt[a] · c(d, a) with c(d, a) = 1 / |categories of d|
 * for its categories, divided by qt[a*] to lie in 0..1, and is picked by (1 − strength) · relevance + strength · that;
 * the pick takes seats 1 / |categories| in each of its categories. Ties keep the input order; strength 0 returns
 * 0..k−1. Returns candidate positions, picked first.
 *
 * @example pm2Order([['a'], ['a'], ['b']], Float64Array.of(1, 0.67, 0.33), new Map([['a', 0.5], ['b', 0.5]]), 2, 0.8) // [0, 2]
 */
export function pm2Order(categories: ReadonlyArray<readonly string[]>, relevance: Float64Array, target: CategoryMix, k: number, strength: number): number[] {
  const n = relevance.length;
  const seats = new Map<string, number>();
  const taken = new Uint8Array(n);
  const order: number[] = [];
  for (let step = 0; step < Math.min(k, n); step++) {
    const quotient = new Map<string, number>();
    let turn: string | undefined;
    for (const [a, v] of target) {
      const q = v / (2 * (seats.get(a) ?? 0) + 1);
      quotient.set(a, q);
      if (turn === undefined || q > (quotient.get(turn) ?? 0)) turn = a;
    }
    const top = turn === undefined ? 0 : quotient.get(turn) ?? 0;
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      let proportional = 0;
      const cats = categories[i];
      for (const a of cats) proportional += ((a === turn ? TURN_WEIGHT : 1 - TURN_WEIGHT) * (quotient.get(a) ?? 0)) / cats.length;
      const score = (1 - strength) * relevance[i] + strength * (top > 0 ? proportional / top : 0);
      if (score > bestScore) [best, bestScore] = [i, score];
    }
    taken[best] = 1;
    order.push(best);
    for (const a of categories[best]) seats.set(a, (seats.get(a) ?? 0) + 1 / categories[best].length);
  }
  return order;
}
