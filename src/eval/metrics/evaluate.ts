import type { CsrMatrix } from '../../core/sparse.js';
import { f1AtK, hitFlags, hitRateAtK, mapAtK, mrrAtK, ndcgAtK, precisionAtK, recallAtK } from './accuracy.js';
import { calibrationKl } from './calibration.js';
import { categoryDiversity, embeddingDiversity } from './diversity.js';
import { catalogueCoverage, exposureCounts, giniIndex, listLongTailShare, listNovelty, listPopularity, longTailItems } from './exposure.js';

/** Names of the accuracy metrics, as they appear in result keys (`ndcg@10`). */
export const ACCURACY_METRICS = ['precision', 'recall', 'f1', 'ndcg', 'map', 'mrr', 'hit'] as const;

/** What beyond-accuracy metrics need to know about the catalogue and the training data. */
export interface CatalogueInfo {
  nItems: number;
  /** Per item: number of training users who interacted with it. */
  itemUsers: Int32Array;
  /** Number of users with training data. */
  nTrainUsers: number;
  /** Each user's training items (for calibration). */
  history?: CsrMatrix;
  /** Per item: categories (genres), for category diversity and calibration. */
  categories?: readonly (readonly string[])[];
  /** Item vectors (row-major, `dimensions` each), for embedding diversity. */
  embeddings?: { vectors: Float32Array; dimensions: number };
}

export interface ListsToScore {
  /** Evaluated user indexes. */
  users: Int32Array;
  /** Ranked item indexes per evaluated user (parallel to `users`). */
  lists: Int32Array[];
  /** users x items relevance (valid or test items). */
  truth: CsrMatrix;
}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length === 0 ? 0 : s / xs.length;
}

/**
 * Accuracy metrics @ every K, averaged over the users that have at least one relevant item (RecBole's averaging).
 *
 * @example accuracyMetrics(lists, [5, 10]) // { 'ndcg@5': ..., 'recall@10': ..., ... }
 */
export function accuracyMetrics(input: ListsToScore, ks: readonly number[]): Record<string, number> {
  const sums: Record<string, number[]> = {};
  for (const k of ks) for (const m of ACCURACY_METRICS) sums[`${m}@${k}`] = [];
  input.users.forEach((u, idx) => {
    const relevant = input.truth.rowIndices(u);
    if (relevant.length === 0) return;
    const hits = hitFlags(input.lists[idx], relevant);
    const n = relevant.length;
    for (const k of ks) {
      sums[`precision@${k}`].push(precisionAtK(hits, k));
      sums[`recall@${k}`].push(recallAtK(hits, n, k));
      sums[`f1@${k}`].push(f1AtK(hits, n, k));
      sums[`ndcg@${k}`].push(ndcgAtK(hits, n, k));
      sums[`map@${k}`].push(mapAtK(hits, n, k));
      sums[`mrr@${k}`].push(mrrAtK(hits, k));
      sums[`hit@${k}`].push(hitRateAtK(hits, k));
    }
  });
  return Object.fromEntries(Object.entries(sums).map(([key, xs]) => [key, mean(xs)]));
}

/**
 * Beyond-accuracy metrics @ every K over all given lists: coverage, gini, novelty, arp (average recommendation
 * popularity), longtail (share of long-tail items: outside the items holding 80 % of training interactions), and when side data allows ild (category diversity), ild_embedding, calibration.
 *
 * @example beyondAccuracyMetrics(lists, catalogue, [10]) // { 'coverage@10': 0.31, 'gini@10': 0.87, ... }
 */
export function beyondAccuracyMetrics(input: ListsToScore, info: CatalogueInfo, ks: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  const lists = input.lists;
  const tail = longTailItems(info.itemUsers);
  for (const k of ks) {
    out[`coverage@${k}`] = catalogueCoverage(lists, info.nItems, k);
    out[`gini@${k}`] = giniIndex(exposureCounts(lists, info.nItems, k));
    out[`novelty@${k}`] = mean(lists.map((l) => listNovelty(l, info.itemUsers, info.nTrainUsers, k)));
    out[`arp@${k}`] = mean(lists.map((l) => listPopularity(l, info.itemUsers, k)));
    out[`longtail@${k}`] = mean(lists.map((l) => listLongTailShare(l, tail, k)));
    const cats = info.categories;
    if (cats) {
      out[`ild@${k}`] = mean(lists.filter((l) => l.length >= 2).map((l) => categoryDiversity(l, cats, k)));
      const history = info.history;
      if (history) {
        const kls: number[] = [];
        input.users.forEach((u, idx) => {
          const kl = calibrationKl(history.rowIndices(u), lists[idx], cats, k);
          if (kl !== undefined) kls.push(kl);
        });
        out[`calibration@${k}`] = mean(kls);
      }
    }
    const emb = info.embeddings;
    if (emb) out[`ild_embedding@${k}`] = mean(lists.filter((l) => l.length >= 2).map((l) => embeddingDiversity(l, emb.vectors, emb.dimensions, k)));
  }
  return out;
}

/**
 * Long-tail curve: items sorted by training popularity (most popular first) are cut into `bins` equal groups; entry b
 * is the cumulative share of `weights` (e.g. recommendation counts) that falls in groups 0..b. The training data's own
 * curve uses weights = itemUsers. A flat-exposure recommender gives the diagonal.
 *
 * @example longTailCurve(Int32Array.of(9, 1), Float64Array.of(0, 4), 2) // [0, 1]: every pick is the unpopular item
 */
export function longTailCurve(itemUsers: Int32Array, weights: ArrayLike<number>, bins = 20): number[] {
  const n = itemUsers.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => itemUsers[b] - itemUsers[a] || a - b);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const curve: number[] = [];
  let acc = 0;
  let pos = 0;
  for (let b = 0; b < bins; b++) {
    const end = Math.round(((b + 1) * n) / bins);
    for (; pos < end; pos++) acc += weights[order[pos]];
    curve.push(total === 0 ? 0 : acc / total);
  }
  return curve;
}
