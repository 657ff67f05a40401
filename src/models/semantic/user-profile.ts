import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import { CsrMatrix, type SparseRow } from '../../core/sparse.js';

/**
 * Every trained user's history with each row in time order, oldest first: the same order the engine's live profile
 * uses for a history row, so position-based recency means the same for trained users and for folded-in histories.
 * Without times the column order is kept.
 *
 * @example const rows = chronologicalRows(data); rows.rowIndices(0) // user 0's items, oldest first
 */
export function chronologicalRows(data: InteractionMatrix): CsrMatrix {
  const { matrix, times } = data;
  if (!times) return matrix;
  const indices = new Int32Array(matrix.nnz);
  const values = new Float32Array(matrix.nnz);
  for (let u = 0; u < matrix.rows; u++) {
    const start = matrix.indptr[u];
    const end = matrix.indptr[u + 1];
    const order = Array.from({ length: end - start }, (_, j) => start + j);
    order.sort((a, b) => times[a] - times[b] || matrix.indices[a] - matrix.indices[b]);
    order.forEach((p, j) => {
      indices[start + j] = matrix.indices[p];
      values[start + j] = matrix.data[p];
    });
  }
  return new CsrMatrix(matrix.rows, matrix.cols, matrix.indptr, indices, values);
}

/**
 * A trained user's row, or a live history row with items the model does not know (out of 0..nItems-1) dropped.
 *
 * @example const row = resolveHistory(rows, q.user, nItems)
 */
export function resolveHistory(rows: CsrMatrix, user: number | SparseRow, nItems: number): SparseRow {
  if (typeof user === 'number') {
    if (!Number.isInteger(user) || user < 0 || user >= rows.rows) {
      throw new EngineError('INVALID_INPUT', `user index ${user} is not in the trained model (0..${rows.rows - 1})`);
    }
    return { indices: rows.rowIndices(user), values: rows.rowData(user) };
  }
  const keep: number[] = [];
  for (let j = 0; j < user.indices.length; j++) if (user.indices[j] >= 0 && user.indices[j] < nItems) keep.push(j);
  if (keep.length === user.indices.length) return user;
  return { indices: Int32Array.from(keep, (j) => user.indices[j]), values: Float32Array.from(keep, (j) => user.values[j]) };
}

/**
 * Per-position weights of a history row: the interaction weight, halved every `halfLife` positions back from the
 * most recent (last) entry; halfLife 0 turns recency off. Non-positive or non-finite weights count as 0.
 *
 * @example historyWeights(Float32Array.of(1, 1, 2), 1) // [0.25, 0.5, 2]
 */
export function historyWeights(values: Float32Array, halfLife: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const w = Number.isFinite(values[j]) && values[j] > 0 ? values[j] : 0;
    out[j] = halfLife > 0 ? w * Math.pow(0.5, (n - 1 - j) / halfLife) : w;
  }
  return out;
}

/**
 * The most recent `limit` entries of a history row (rows are oldest first); limit 0 keeps them all.
 *
 * @example recentHistory({ indices: Int32Array.of(1, 2, 3), values: Float32Array.of(1, 1, 1) }, 2).indices // [2, 3]
 */
export function recentHistory(row: SparseRow, limit: number): SparseRow {
  if (limit <= 0 || row.indices.length <= limit) return row;
  const from = row.indices.length - limit;
  return { indices: row.indices.subarray(from), values: row.values.subarray(from) };
}
