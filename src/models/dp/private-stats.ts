import { EngineError } from '../../core/errors.js';
import { CsrMatrix } from '../../core/sparse.js';
import { createRandom, deriveSeed } from '../../eval/random.js';
import { CsrBuilder } from '../csr-builder.js';
import type { FitControl } from '../fit-control.js';
import { mulberry32At } from '../linalg/random.js';
import { topK } from '../topk.js';
import { noiseFromUniforms, noiseScale, type DpBudget, type Sensitivity } from './mechanisms.js';

/**
 * Differentially private popularity and co-occurrence statistics over users' histories.
 *
 * Neighbouring datasets differ by ONE USER'S WHOLE HISTORY. Each user first keeps at most k distinct items (a seeded
 * uniform sample when they have more), counted as 1 each (ratings and repeats are dropped). Then, adding or removing
 * a user changes:
 * - the item-count vector in at most k entries by 1:            L1 sensitivity k,          L2 √k;
 * - the pair counts C[i<j] (upper triangle, i≠j) in at most k(k−1)/2 entries by 1:
 *                                                                L1 sensitivity k(k−1)/2,   L2 √(k(k−1)/2)
 *   (the full symmetric matrix would count each pair twice: k(k−1)). Noise is added to EVERY pair, zeros included,
 *   so the cost is n² for n items however sparse the data is.
 */

/** Largest catalogue the dense pair release accepts: every pair's noise has its own position in a 2^32 stream. */
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

/** Sensitivities of the two releases for bounding k (see the module comment). */
export function countSensitivity(k: number): Sensitivity {
  return { l1: k, l2: Math.sqrt(k) };
}
export function pairSensitivity(k: number): Sensitivity {
  const pairs = (k * (k - 1)) / 2;
  return { l1: pairs, l2: Math.sqrt(pairs) };
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

export interface PrivateCosineOptions {
  k: number;
  /** Budget of the pair counts (the item counts are released separately, see privateItemCounts). */
  budget: DpBudget;
  seed: number;
  neighbors: number;
  /** similarity * C / (C + shrink) with C the noisy pair count (post-processing, free of privacy cost). */
  shrink: number;
  /** Pairs whose noisy count is at most this many noise scales are dropped (post-processing; see below). */
  pairThreshold: number;
}

/**
 * Item-item cosine similarity from noisy statistics: sim(i, j) = min(C̃ij, ĉi, ĉj) / √(ĉi ĉj), ĉ = max(c̃, 1), where C̃ is the
 * noisy pair count (noise on all n(n−1)/2 pairs) and c̃ the noisy item counts. With no noise and k ≥ every history,
 * this is exactly the cosine of binary item columns. Pairs with C̃ij ≤ pairThreshold × noise scale are dropped:
 * otherwise the noise on the n² mostly-empty pairs fills every item's neighbour list (rare items worst, as their
 * norms are small). Pruned to the top `neighbors` positive values per row, rows sorted by column, as
 * pairwiseSimilarity returns. Everything after the noise is post-processing, so it costs no privacy.
 *
 * @example await privateCosineSimilarity(bounded, counts, { k: 50, budget, seed: 1, neighbors: 100, shrink: 0 }, control)
 */
export async function privateCosineSimilarity(bounded: CsrMatrix, noisyCounts: Float64Array, o: PrivateCosineOptions, control: FitControl): Promise<CsrMatrix> {
  const n = bounded.cols;
  if (n > MAX_DP_PAIR_ITEMS) {
    throw new EngineError('INVALID_CONFIG', `differentially private item-kNN adds noise to all n² item pairs and supports at most ${MAX_DP_PAIR_ITEMS} items`, { path: 'dpEpsilon', items: n });
  }
  const scale = noiseScale(o.budget, pairSensitivity(o.k));
  const pairSeed = deriveSeed(o.seed, 'dp-pairs');
  const itemUsers = bounded.transpose();
  const floor = o.pairThreshold * scale;
  const counts = Float64Array.from(noisyCounts, (c) => Math.max(c, 1));
  const norms = counts.map(Math.sqrt);
  const row = new Float64Array(n);
  const out = new CsrBuilder(n);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let p = itemUsers.indptr[i]; p < itemUsers.indptr[i + 1]; p++) {
      const u = itemUsers.indices[p];
      for (let q = bounded.indptr[u]; q < bounded.indptr[u + 1]; q++) row[bounded.indices[q]] += 1;
    }
    for (let j = 0; j < n; j++) {
      if (j === i) {
        row[j] = 0;
        continue;
      }
      // pair (a < b) always reads the same two stream positions, so C̃ij = C̃ji without storing n² values
      const a = Math.min(i, j);
      const pos = 2 * (a * n + Math.max(i, j));
      const noisy = row[j] + noiseFromUniforms(o.budget.mechanism, mulberry32At(pairSeed, pos), mulberry32At(pairSeed, pos + 1), scale);
      // a pair cannot co-occur more often than either item occurs: clamping keeps similarities ≤ 1 (cosine's range)
      const c = Math.min(noisy, counts[i], counts[j]);
      if (c <= floor) {
        row[j] = 0;
        continue;
      }
      let s = c / (norms[i] * norms[j]);
      if (o.shrink > 0 && c > 0) s *= c / (c + o.shrink);
      row[j] = s;
    }
    const best = topK(row, o.neighbors, { above: 0 });
    best.sort((x, y) => x.index - y.index);
    out.pushRow(best);
    await control.step(i + 1);
  }
  return out.build(n);
}
