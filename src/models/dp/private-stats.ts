import { CsrMatrix } from '../../core/sparse.js';
import { createRandom, deriveSeed } from '../../eval/random.js';
import { noiseFromUniforms, noiseScale, type DpBudget, type Sensitivity } from './mechanisms.js';

/**
 * Differentially private popularity over users' histories (the item-item release is private-gram.ts).
 *
 * Neighbouring datasets differ by ONE USER'S WHOLE HISTORY. Each user first keeps at most k distinct items (a seeded
 * uniform sample when they have more), counted as 1 each (ratings and repeats are dropped). Then adding or removing
 * a user changes the item-count vector in at most k entries by 1: L1 sensitivity k, L2 √k.
 */

/** Largest catalogue a dense pair release accepts: every pair's noise has its own position in a 2^32 stream. */
export const MAX_DP_PAIR_ITEMS = 46_340;

/**
 * Contribution bounding: each user row keeps at most `k` of its distinct items, chosen uniformly with a seeded RNG;
 * kept cells are 1. Rows with at most k items keep them all.
 *
 * @example boundContributions(data.matrix, 50, 7).rowLength(u) <= 50
 */
export function boundContributions(userItems: CsrMatrix, k: number, seed: number): CsrMatrix {
  const rng = createRandom(deriveSeed(seed, 'dp-bound'));
  const indptr = new Int32Array(userItems.rows + 1);
  const kept: number[] = [];
  for (let u = 0; u < userItems.rows; u++) {
    const row = Array.from(new Set(userItems.rowIndices(u)));
    // partial Fisher–Yates: the first k slots become a uniform sample without replacement
    const take = Math.min(k, row.length);
    for (let t = 0; t < take; t++) {
      const s = t + rng.int(row.length - t);
      const x = row[t];
      row[t] = row[s];
      row[s] = x;
    }
    const sample = row.slice(0, take).sort((a, b) => a - b);
    for (const c of sample) kept.push(c);
    indptr[u + 1] = kept.length;
  }
  return new CsrMatrix(userItems.rows, userItems.cols, indptr, Int32Array.from(kept), new Float32Array(kept.length).fill(1));
}

/** Sensitivity of the item-count release for bounding k (see the module comment). */
export function countSensitivity(k: number): Sensitivity {
  return { l1: k, l2: Math.sqrt(k) };
}

/**
 * Noisy number of (bounded) users per item: exact counts of `bounded` plus one noise draw per item, every item.
 *
 * @example privateItemCounts(boundContributions(m, 50, 1), 50, { mechanism: 'gaussian', epsilon: 1, delta: 1e-6 }, 1)
 */
export function privateItemCounts(bounded: CsrMatrix, k: number, budget: DpBudget, seed: number): Float64Array {
  const counts = new Float64Array(bounded.cols);
  for (let p = 0; p < bounded.indices.length; p++) counts[bounded.indices[p]] += 1;
  const scale = noiseScale(budget, countSensitivity(k));
  const rng = createRandom(deriveSeed(seed, 'dp-counts'));
  for (let j = 0; j < counts.length; j++) counts[j] += noiseFromUniforms(budget.mechanism, rng.next(), rng.next(), scale);
  return counts;
}
