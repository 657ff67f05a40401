import { CsrMatrix } from '../../core/sparse.js';

/** How user-item values are re-weighted before item-item dot products (the variants of the `implicit` library). */
export type ItemWeighting = 'cosine' | 'tfidf' | 'bm25';

export interface WeightingParams {
  weighting: ItemWeighting;
  /** BM25 term-frequency saturation. */
  K1: number;
  /** BM25 length normalisation (0 = none, 1 = full). */
  B: number;
}

/**
 * The items x users matrix whose row dot products are the item-item similarities, exactly as `implicit` builds it:
 * - cosine: rows (items) scaled to unit L2 norm;
 * - tfidf: value -> sqrt(value) * idf(user), then unit rows; idf(user) = ln(items) - ln(1 + items the user touched);
 * - bm25: value -> value * (K1 + 1) / (K1 * lengthNorm(item) + value) * idf(user), not normalised, where
 *   lengthNorm(item) = (1 - B) + B * rowSum(item) / mean rowSum.
 *
 * @example weightedItemUsers(data.matrix, { weighting: 'bm25', K1: 1.2, B: 0.75 })
 */
export function weightedItemUsers(userItems: CsrMatrix, p: WeightingParams): CsrMatrix {
  const itemUsers = userItems.transpose();
  switch (p.weighting) {
    case 'cosine':
      return unitRows(itemUsers);
    case 'tfidf': {
      const idf = userIdf(userItems);
      return unitRows(itemUsers.mapValues((v, _item, user) => Math.sqrt(v) * idf[user]));
    }
    case 'bm25': {
      const idf = userIdf(userItems);
      const rowSums = new Float64Array(itemUsers.rows);
      let total = 0;
      for (let i = 0; i < itemUsers.rows; i++) {
        for (let q = itemUsers.indptr[i]; q < itemUsers.indptr[i + 1]; q++) rowSums[i] += itemUsers.data[q];
        total += rowSums[i];
      }
      const meanLength = itemUsers.rows > 0 ? total / itemUsers.rows : 1;
      return itemUsers.mapValues((v, item, user) => {
        const lengthNorm = 1 - p.B + (p.B * rowSums[item]) / meanLength;
        return ((v * (p.K1 + 1)) / (p.K1 * lengthNorm + v)) * idf[user];
      });
    }
  }
}

/** Per user: ln(#items) - ln(1 + #items the user interacted with) (users are the "terms" of the item documents). */
function userIdf(userItems: CsrMatrix): Float64Array {
  const idf = new Float64Array(userItems.rows);
  const logN = Math.log(userItems.cols);
  for (let u = 0; u < userItems.rows; u++) idf[u] = logN - Math.log1p(userItems.rowLength(u));
  return idf;
}

/** Scales every non-empty row to unit L2 norm. */
export function unitRows(m: CsrMatrix): CsrMatrix {
  const norms = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let q = m.indptr[i]; q < m.indptr[i + 1]; q++) s += m.data[q] * m.data[q];
    norms[i] = Math.sqrt(s);
  }
  return m.mapValues((v, row) => (norms[row] > 0 ? v / norms[row] : 0));
}
