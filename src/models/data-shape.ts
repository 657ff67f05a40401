import type { CsrMatrix } from '../core/sparse.js';

/**
 * The shape of a training matrix that default params may depend on. Counts are of users and items with at least one
 * interaction (catalogue items without events do not change what a model learns).
 */
export interface DataShape {
  /** Users with at least one interaction. */
  users: number;
  /** Items with at least one interaction. */
  items: number;
  /** Non-zero user-item cells. */
  interactions: number;
  /** interactions / (users · items), over active users and items. */
  density: number;
  /** Mean interactions per active item: the mean of the binary Gram matrix diagonal diag(XᵀX). */
  meanItemCount: number;
  /**
   * The Gram diagonal a typical interaction's item has: item counts c averaged over interactions, Σc² / Σc. Popular
   * items weigh in as often as they occur, so a long tail of rare items (which the mean follows) barely moves it.
   */
  interactionItemCount: number;
  /** The same over the matrix's own values (d = Σ x² per item, Σd² / Σd), for models fitted on weighted values. */
  interactionItemWeight: number;
  /** Mean interactions per active user. */
  meanUserCount: number;
}

/**
 * Measures a users × items training matrix.
 *
 * @example dataShape(train.matrix).meanItemCount // 58.3 on ml-100k's RecBole train split
 */
export function dataShape(matrix: CsrMatrix): DataShape {
  const counts = new Float64Array(matrix.cols);
  const weights = new Float64Array(matrix.cols);
  for (let p = 0; p < matrix.nnz; p++) {
    counts[matrix.indices[p]]++;
    weights[matrix.indices[p]] += matrix.data[p] * matrix.data[p];
  }
  let items = 0;
  for (const c of counts) if (c > 0) items++;
  let users = 0;
  for (let u = 0; u < matrix.rows; u++) if (matrix.indptr[u + 1] > matrix.indptr[u]) users++;
  const interactions = matrix.nnz;
  return {
    users,
    items,
    interactions,
    density: users > 0 && items > 0 ? interactions / (users * items) : 0,
    meanItemCount: items > 0 ? interactions / items : 0,
    interactionItemCount: selfWeightedMean(counts),
    interactionItemWeight: selfWeightedMean(weights),
    meanUserCount: users > 0 ? interactions / users : 0,
  };
}

/** Σx² / Σx: the mean of x when each x is counted x times (0 for all zeros). */
function selfWeightedMean(xs: Float64Array): number {
  let sum = 0;
  let squares = 0;
  for (const x of xs) {
    sum += x;
    squares += x * x;
  }
  return sum > 0 ? squares / sum : 0;
}
