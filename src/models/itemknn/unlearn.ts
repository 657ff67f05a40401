import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { CsrMatrix } from '../../core/sparse.js';
import { fitControl } from '../fit-control.js';
import { withoutRow } from '../user-rows.js';
import { pairwiseSimilarity } from './similarity.js';
import { weightedItemUsers, type WeightingParams } from './weighting.js';

export interface ItemKnnForgetParams extends WeightingParams {
  neighbors: number;
  shrink: number;
}

/** The trained state that forgetting a user replaces. */
export interface ItemKnnRows {
  similarity: CsrMatrix;
  userItems: CsrMatrix;
}

/**
 * Item-kNN without one user, equal to fitting on the data without them: the model keeps every training row
 * (`userItems`), so the similarities are recomputed from the rows that remain, but only for the items whose row can
 * change. With cosine or TF-IDF weighting an item's weighted row depends on its own users only (a user's TF-IDF weight
 * on their own row length, the same in both fits), so the rows that change are the user's items and every item that
 * shared a user with one of them (its similarity to that item moved, and pruning to `neighbors` may let another
 * neighbour in); the other rows are copied. BM25 normalises by the mean item length, which every user moves: all rows
 * are recomputed. Each recomputed row runs the fit's own kernel over the same values in the same order, so the result
 * is the refit's bit for bit. Costs the co-occurrence of the affected rows, no more than a refit.
 *
 * @example const { similarity, userItems } = await forgetItemKnnUser(trained, 7, params);
 */
export async function forgetItemKnnUser(trained: ItemKnnRows, user: number, params: ItemKnnForgetParams): Promise<ItemKnnRows> {
  const userItems = withoutRow(trained.userItems, user);
  const touched = trained.userItems.rowIndices(user);
  const weighted = weightedItemUsers(userItems, params);
  const only = params.weighting === 'bm25' ? undefined : affectedItems(trained.userItems, touched);
  const control = fitControl({ logger: silentLogger, clock: systemClock }, weighted.rows);
  const rows = await pairwiseSimilarity(weighted, { neighbors: params.neighbors, shrink: params.shrink, only }, control);
  return { similarity: only ? mergeRows(trained.similarity, rows, only) : rows, userItems };
}

/** The user's items and every item that shared a user with one of them (before the removal), marked 1. */
function affectedItems(userItems: CsrMatrix, touched: Int32Array): Uint8Array {
  const mark = new Uint8Array(userItems.cols);
  const itemUsers = userItems.transpose();
  for (const t of touched) {
    mark[t] = 1;
    for (let q = itemUsers.indptr[t]; q < itemUsers.indptr[t + 1]; q++) {
      const v = itemUsers.indices[q];
      for (let p = userItems.indptr[v]; p < userItems.indptr[v + 1]; p++) mark[userItems.indices[p]] = 1;
    }
  }
  return mark;
}

/** Rows marked in `only` from `fresh`, the others from `old`. */
function mergeRows(old: CsrMatrix, fresh: CsrMatrix, only: Uint8Array): CsrMatrix {
  const n = old.rows;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + (only[i] === 1 ? fresh.rowLength(i) : old.rowLength(i));
  const indices = new Int32Array(indptr[n]);
  const data = new Float32Array(indptr[n]);
  for (let i = 0; i < n; i++) {
    const from = only[i] === 1 ? fresh : old;
    indices.set(from.rowIndices(i), indptr[i]);
    data.set(from.rowData(i), indptr[i]);
  }
  return new CsrMatrix(n, old.cols, indptr, indices, data);
}
