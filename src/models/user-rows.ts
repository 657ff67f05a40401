import { EngineError } from '../core/errors.js';
import { CsrMatrix, type SparseRow } from '../core/sparse.js';

/**
 * Resolves a query's user (a trained user index, or a live history row) to a history row over the model's items.
 * Out-of-range item indexes in a live row (items newer than the model) are dropped; an unknown user index throws
 * EngineError INVALID_INPUT.
 *
 * @example const row = historyRow(this.userItems, q.user);
 */
export function historyRow(userItems: CsrMatrix, user: number | SparseRow): SparseRow {
  if (typeof user === 'number') {
    if (!Number.isInteger(user) || user < 0 || user >= userItems.rows) {
      throw new EngineError('INVALID_INPUT', `user index ${user} is not in the trained model (0..${userItems.rows - 1})`);
    }
    return { indices: userItems.rowIndices(user), values: userItems.rowData(user) };
  }
  const nItems = userItems.cols;
  let inRange = true;
  for (let j = 0; j < user.indices.length && inRange; j++) inRange = user.indices[j] >= 0 && user.indices[j] < nItems;
  if (inRange) return user;
  const keep: number[] = [];
  for (let j = 0; j < user.indices.length; j++) if (user.indices[j] >= 0 && user.indices[j] < nItems) keep.push(j);
  return { indices: Int32Array.from(keep, (j) => user.indices[j]), values: Float32Array.from(keep, (j) => user.values[j]) };
}

/**
 * Row-pointer arrays with row `row` emptied: the new pointers and each array without that row's span (other rows keep
 * their index). The CSR matrices below and models keeping per-user lists in pointer form share it.
 *
 * @example withoutSpan(recentPtr, 2, recentItems) // { indptr, arrays: [items without user 2's] }
 */
export function withoutSpan<A extends Int32Array | Float32Array>(indptr: Int32Array, row: number, ...arrays: A[]): { indptr: Int32Array; arrays: A[] } {
  const start = indptr[row];
  const removed = indptr[row + 1] - start;
  const keep = (a: A): A => {
    const out = new (a.constructor as new (n: number) => A)(a.length - removed);
    out.set(a.subarray(0, start));
    out.set(a.subarray(start + removed), start);
    return out;
  };
  return { indptr: Int32Array.from(indptr, (v, r) => (r > row ? v - removed : v)), arrays: arrays.map(keep) };
}

/**
 * The matrix with row `user` emptied: every other row keeps its index and its entries (exact unlearning keeps user
 * indexes stable, so the bundle's user list and every model's rows stay aligned).
 *
 * @example withoutRow(userItems, 3).rowLength(3) // 0
 */
export function withoutRow(m: CsrMatrix, user: number): CsrMatrix {
  const { indptr, arrays: [indices, data] } = withoutSpan<Int32Array | Float32Array>(m.indptr, user, m.indices, m.data);
  return new CsrMatrix(m.rows, m.cols, indptr, indices as Int32Array, data as Float32Array);
}

/** A factor model's user side: one `stride`-wide factor row per user beside the users' training rows. */
interface UserFactorSide {
  userFactors: Float32Array;
  stride: number;
  userItems: CsrMatrix;
}

/**
 * A factor model's user side without one user: their factor row zeroed and their training row emptied (ALS, BPR);
 * the item side is left to the caller, since it still carries the user until a retraining.
 *
 * @example const { userFactors, userItems } = withoutUserFactors(state, 3)
 */
export function withoutUserFactors(side: UserFactorSide, user: number): Pick<UserFactorSide, 'userFactors' | 'userItems'> {
  const userFactors = side.userFactors.slice();
  userFactors.fill(0, user * side.stride, (user + 1) * side.stride);
  return { userFactors, userItems: withoutRow(side.userItems, user) };
}
