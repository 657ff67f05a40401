import type { Scored } from '../../core/types.js';
import { topK } from '../topk.js';

/**
 * Euclidean norm of every row of a row-major factor matrix.
 *
 * @example rowNorms(Float32Array.of(3, 4, 0, 0), 2, 2) // [5, 0]
 */
export function rowNorms(factors: Float32Array, rows: number, stride: number): Float32Array {
  const norms = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let a = i * stride; a < (i + 1) * stride; a++) s += factors[a] * factors[a];
    norms[i] = Math.sqrt(s);
  }
  return norms;
}

/**
 * The k rows most cosine-similar to row `item` (itself excluded; zero rows never selected).
 *
 * @example cosineNeighbours(itemFactors, rowNorms(itemFactors, n, 64), 64, 7, 10)
 */
export function cosineNeighbours(factors: Float32Array, norms: Float32Array, stride: number, item: number, k: number): Scored[] {
  const rows = norms.length;
  if (!(item >= 0 && item < rows) || norms[item] === 0) return [];
  const scores = new Float32Array(rows);
  const base = item * stride;
  for (let j = 0; j < rows; j++) {
    if (norms[j] === 0) {
      scores[j] = Number.NaN;
      continue;
    }
    let s = 0;
    for (let a = 0; a < stride; a++) s += factors[base + a] * factors[j * stride + a];
    scores[j] = s / (norms[item] * norms[j]);
  }
  return topK(scores, k, { exclude: [item] });
}

/**
 * Top-k items by the dot product of a user vector with each item's factors (plus an item bias when given), scoring
 * only the candidates when there are some, never the excluded items.
 *
 * @example topByFactors(userVector, itemFactors, 64, nItems, { k: 10, exclude })
 */
export function topByFactors(
  x: ArrayLike<number>,
  factors: Float32Array,
  stride: number,
  nItems: number,
  q: { k: number; candidates?: Int32Array; exclude?: Int32Array },
  bias?: Float32Array,
): Scored[] {
  const scores = new Float32Array(nItems);
  const score = (i: number): void => {
    let s = bias ? bias[i] : 0;
    for (let a = 0, base = i * stride; a < stride; a++) s += x[a] * factors[base + a];
    scores[i] = s;
  };
  if (q.candidates) {
    for (const i of q.candidates) if (i >= 0 && i < nItems) score(i);
  } else {
    for (let i = 0; i < nItems; i++) score(i);
  }
  return topK(scores, q.k, { candidates: q.candidates, exclude: q.exclude });
}
