import type { CsrMatrix } from '../../core/sparse.js';
import { withoutRow } from '../user-rows.js';
import type { EaseProblem } from './solve.js';
import { keptItems } from './solve.js';

/** The trained EASE state that forgetting a user replaces. */
export interface EaseRows {
  /** Item index of each dense row/column of `weights`, ascending. */
  items: Int32Array;
  /** n x n row-major B, zero diagonal. */
  weights: Float32Array;
  /** diag P, P = (XᵀX + λI)⁻¹. */
  pinvDiagonal: Float64Array;
  userItems: CsrMatrix;
}

/**
 * Why this EASE problem has no exact rank-one removal, or undefined when it has one. DAN user normalisation rescales
 * every user by the totals of all users, EDLAE dropout and item normalisation move with the item counts: removing a
 * user changes more than one outer product of XᵀX.
 *
 * @example easeRemovalBlocker({ ...params, dropout: 0.2 }) // 'EDLAE dropout ...'
 */
export function easeRemovalBlocker(p: EaseProblem): string | undefined {
  if (p.userNorm > 0) return 'DAN user normalisation (userNorm) rescales every user by totals the user is part of';
  if (p.dropout > 0) return 'EDLAE dropout regularises by the item counts the user is part of';
  if (p.itemNorm > 0) return 'DAN item normalisation (itemNorm) scales weights by the item counts the user is part of';
  return undefined;
}

/**
 * EASE without one user, by the Sherman–Morrison downdate of P = (XᵀX + λI)⁻¹ (Steck's closed form keeps the same λ):
 * with x the user's row over the modelled items, (XᵀX − xxᵀ + λI)⁻¹ = P + (Px)(Px)ᵀ / (1 − xᵀPx), and B' = −P'_ij / P'_jj.
 * P is read back from B and diag P (P_ij = −B_ij · P_jj), column by column, in float64; items the user was the last
 * to touch leave the model, as a refit leaves out items without events. O(n²) time for n modelled items, O(n) extra
 * memory besides the new B. Undefined when the refit would keep a different item set (the `maxItems` cap picks
 * another item): the caller retrains.
 *
 * @example const next = forgetEaseUser(state, 7, params); // { items, weights, pinvDiagonal, userItems }
 */
export function forgetEaseUser(st: EaseRows, user: number, p: Pick<EaseProblem, 'binary' | 'maxItems'>): EaseRows | undefined {
  const n = st.items.length;
  const dense = new Int32Array(st.userItems.cols).fill(-1);
  st.items.forEach((item, d) => (dense[item] = d));
  // the user's row over the dense items: support and values
  const cols = st.userItems.rowIndices(user);
  const vals = st.userItems.rowData(user);
  const support: number[] = [];
  const x: number[] = [];
  for (let q = 0; q < cols.length; q++) {
    const d = dense[cols[q]];
    if (d < 0) continue;
    support.push(d);
    x.push(p.binary ? 1 : vals[q]);
  }
  const userItems = withoutRow(st.userItems, user);
  const kept = keptItems(userItems, p.maxItems);
  const stays = new Uint8Array(n);
  for (const item of kept) {
    if (dense[item] < 0) return undefined; // the cap lets in an item the trained model left out
    stays[dense[item]] = 1;
  }
  const pd = st.pinvDiagonal;
  const B = st.weights;
  // v = P x; P is symmetric, so column s of P is its row s: P_si = -B_si · P_ii (a contiguous row of B)
  const v = new Float64Array(n);
  for (let k = 0; k < support.length; k++) {
    const s = support[k];
    const xs = x[k];
    const row = s * n;
    for (let i = 0; i < n; i++) v[i] -= B[row + i] * pd[i] * xs;
    v[s] += pd[s] * xs; // B_ss = 0: the diagonal term
  }
  let xPx = 0;
  for (let k = 0; k < support.length; k++) xPx += x[k] * v[support[k]];
  const denom = 1 - xPx;
  const pdNew = Float64Array.from(pd, (d, j) => d + (v[j] * v[j]) / denom);
  const keep = Int32Array.from(kept, (item) => dense[item]);
  const m = keep.length;
  const weights = new Float32Array(m * m);
  for (let a = 0; a < m; a++) {
    const i = keep[a];
    for (let b = 0; b < m; b++) {
      if (a === b) continue;
      const j = keep[b];
      const pij = -B[i * n + j] * pd[j] + (v[i] * v[j]) / denom;
      weights[a * m + b] = -pij / pdNew[j];
    }
  }
  return { items: kept, weights, pinvDiagonal: Float64Array.from(keep, (d) => pdNew[d]), userItems };
}
