import type { InteractionMatrix } from '../core/interactions.js';
import { CsrMatrix, type SparseRow } from '../core/sparse.js';
import type { RatingsTable } from './data/table.js';

/**
 * Builds the binary users x items InteractionMatrix of some rows of a table, over the table's FULL user and item index
 * spaces (so items seen only in valid/test still exist as empty columns and are ranked, as in RecBole's full ranking).
 * Each cell is 1; `times` holds the cell's latest time in ms; `sequences` each user's items in time order.
 *
 * @example const train = buildInteractions(table, split.train)
 */
export function buildInteractions(t: RatingsTable, rows: Int32Array): InteractionMatrix {
  const nUsers = t.users.size;
  const indptr = new Int32Array(nUsers + 1);
  for (const r of rows) indptr[t.user[r] + 1]++;
  for (let u = 0; u < nUsers; u++) indptr[u + 1] += indptr[u];
  const byUser = new Int32Array(rows.length);
  const fill = indptr.slice(0, nUsers);
  for (const r of rows) byUser[fill[t.user[r]]++] = r;

  const indices: number[] = [];
  const times: number[] = [];
  const outPtr = new Int32Array(nUsers + 1);
  const sequences: Int32Array[] = new Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    const own = Array.from(byUser.subarray(indptr[u], indptr[u + 1]));
    own.sort((a, b) => t.time[a] - t.time[b] || a - b);
    sequences[u] = Int32Array.from(own, (r) => t.item[r]);
    own.sort((a, b) => t.item[a] - t.item[b] || t.time[a] - t.time[b]);
    for (let k = 0; k < own.length; k++) {
      const r = own[k];
      // Repeats of an item collapse into one cell carrying the latest time (rows are sorted by item, then time).
      if (k + 1 < own.length && t.item[own[k + 1]] === t.item[r]) continue;
      indices.push(t.item[r]);
      times.push(t.time[r] * 1000);
    }
    outPtr[u + 1] = indices.length;
  }
  const data = new Float32Array(indices.length).fill(1);
  const matrix = new CsrMatrix(nUsers, t.items.size, outPtr, Int32Array.from(indices), data);
  return { users: t.users, items: t.items, matrix, times: Float64Array.from(times), sequences };
}

/**
 * Sorted union of two sorted index lists (e.g. a user's train and valid items, masked when scoring test).
 *
 * @example mergeSorted(Int32Array.of(1, 4), Int32Array.of(2, 4)) // Int32Array [1, 2, 4]
 */
export function mergeSorted(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (n === 0 || out[n - 1] !== next) out[n++] = next;
  }
  return out.slice(0, n);
}

/**
 * A user's items in time order, oldest first (as a live history row is), each once at its latest position: what a
 * model that was not fitted on these rows reads to score the user (folded in, as in serving).
 *
 * @example historyRow(buildInteractions(t, rows), 0) // { indices: user 0's items oldest first, values: 1s }
 */
export function historyRow(data: InteractionMatrix, user: number): SparseRow {
  const seq = data.sequences?.[user];
  const items = seq ? [...new Set(Array.from(seq).reverse())].reverse() : Array.from(data.matrix.rowIndices(user));
  return { indices: Int32Array.from(items), values: new Float32Array(items.length).fill(1) };
}
