/**
 * Ranking-accuracy metrics for ONE user's list, RecBole's definitions (recbole/evaluator/metrics.py).
 * Each takes `hits`: 1 where the item at that rank (0-based position) is relevant, else 0. Lists shorter than K count
 * the missing ranks as misses; averaging over users is the caller's job.
 */

/**
 * Marks which ranked items are relevant. `relevant` is a sorted list of item indexes.
 *
 * @example hitFlags([7, 3, 9], Int32Array.of(3, 9)) // Uint8Array [0, 1, 1]
 */
export function hitFlags(ranked: ArrayLike<number>, relevant: Int32Array): Uint8Array {
  const out = new Uint8Array(ranked.length);
  for (let i = 0; i < ranked.length; i++) out[i] = binarySearch(relevant, ranked[i]) ? 1 : 0;
  return out;
}

function binarySearch(sorted: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === x) return true;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Number of hits in the top k. */
export function hitsAtK(hits: Uint8Array, k: number): number {
  let n = 0;
  for (let i = 0; i < Math.min(k, hits.length); i++) n += hits[i];
  return n;
}

/** Precision@K = hits / K. @example precisionAtK(Uint8Array.of(1, 0, 1), 3) // 2/3 */
export function precisionAtK(hits: Uint8Array, k: number): number {
  return hitsAtK(hits, k) / k;
}

/** Recall@K = hits / #relevant. @example recallAtK(Uint8Array.of(1, 0, 1), 4, 3) // 0.5 */
export function recallAtK(hits: Uint8Array, nRelevant: number, k: number): number {
  return nRelevant === 0 ? 0 : hitsAtK(hits, k) / nRelevant;
}

/** F1@K = 2·P·R / (P + R), 0 when both are 0. @example f1AtK(Uint8Array.of(1, 0), 1, 2) // 2·0.5·1/1.5 */
export function f1AtK(hits: Uint8Array, nRelevant: number, k: number): number {
  const p = precisionAtK(hits, k);
  const r = recallAtK(hits, nRelevant, k);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/** HitRate@K = 1 if any hit in the top K. @example hitRateAtK(Uint8Array.of(0, 1), 1) // 0 */
export function hitRateAtK(hits: Uint8Array, k: number): number {
  return hitsAtK(hits, k) > 0 ? 1 : 0;
}

/** MRR@K = 1 / rank of the first hit within K (ranks are 1-based), 0 if none. @example mrrAtK(Uint8Array.of(0, 1), 2) // 0.5 */
export function mrrAtK(hits: Uint8Array, k: number): number {
  for (let i = 0; i < Math.min(k, hits.length); i++) if (hits[i]) return 1 / (i + 1);
  return 0;
}

/**
 * NDCG@K with binary gain: DCG = Σ_{hit at rank i ≤ K} 1/log2(i+1), IDCG = Σ_{i=1}^{min(#relevant, K)} 1/log2(i+1).
 *
 * @example ndcgAtK(Uint8Array.of(0, 1), 1, 2) // (1/log2 3) / 1 = 0.6309
 */
export function ndcgAtK(hits: Uint8Array, nRelevant: number, k: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, hits.length); i++) if (hits[i]) dcg += 1 / Math.log2(i + 2);
  let idcg = 0;
  for (let i = 0; i < Math.min(nRelevant, k); i++) idcg += 1 / Math.log2(i + 2);
  return idcg === 0 ? 0 : dcg / idcg;
}

/**
 * MAP@K as RecBole defines it: (1 / min(#relevant, K)) · Σ_{hit at rank i ≤ K} precision@i.
 *
 * @example mapAtK(Uint8Array.of(1, 0, 1), 2, 3) // (1/1 + 2/3) / 2 = 0.8333
 */
export function mapAtK(hits: Uint8Array, nRelevant: number, k: number): number {
  const denom = Math.min(nRelevant, k);
  if (denom === 0) return 0;
  let found = 0;
  let sum = 0;
  for (let i = 0; i < Math.min(k, hits.length); i++) {
    if (!hits[i]) continue;
    found++;
    sum += found / (i + 1);
  }
  return sum / denom;
}
