import type { SparseRow } from '../../core/sparse.js';
import type { ItemSide } from './fold-in.js';

/**
 * One user's share of the implicit-ALS loss as a function of the item factors Y, with the user vector x chosen by the
 * exact fold-in (the minimiser over x):
 *
 *   F_u(Y) = min_x Σ_i c_ui (p_ui − x·y_i)² + λ(items + |h|)‖x‖² + λ Σ_{i∈h} ‖y_i‖²
 *
 * with c = 1 + α·r and p = 1 on the history h, c = 1 and p = 0 elsewhere. The last term is this user's part of the
 * frequency-scaled item penalty λ(users + |i's events|)‖y_i‖²: the λ·users part is the same for every user and is
 * added by the server, so Σ_u F_u(Y) + λ·users·‖Y‖² is the central ALS loss at the best user vectors.
 *
 * Because x minimises the inner problem, ∂F_u/∂y_i is the partial derivative at that x (envelope theorem):
 *
 *   ∂F_u/∂y_i = 2 (x·y_i) x                               for items outside the history,
 *             = −2 c_ui (1 − x·y_i) x + 2λ y_i             for history items.
 *
 * Every item gets a non-zero row: the gradient is dense by nature. Returns items × `factors` float64, row-major
 * (padding columns past `factors` are always zero and are left out).
 *
 * @example const g = alsItemGradient(row, side, foldInUser(row, side), 64);
 */
export function alsItemGradient(row: SparseRow, side: ItemSide, x: Float32Array, factors: number): Float64Array {
  const k = side.stride;
  const y = side.itemFactors;
  const items = y.length / k;
  const out = new Float64Array(items * factors);
  let p = 0;
  for (let i = 0; i < items; i++) {
    const base = i * k;
    let s = 0;
    for (let a = 0; a < factors; a++) s += x[a] * y[base + a];
    const touched = p < row.indices.length && row.indices[p] === i;
    const o = i * factors;
    if (!touched) {
      const coef = 2 * s;
      for (let a = 0; a < factors; a++) out[o + a] = coef * x[a];
      continue;
    }
    const coef = -2 * (1 + side.alpha * row.values[p]) * (1 - s);
    const ridge = 2 * side.regularization;
    for (let a = 0; a < factors; a++) out[o + a] = coef * x[a] + ridge * y[base + a];
    p++;
  }
  return out;
}

/**
 * F_u(Y) at a given x (the bracket above, in float64): with x from the exact fold-in it is this user's loss share.
 * Used to check the gradient against finite differences, and by the simulation to report the loss.
 *
 * @example alsUserLoss(row, side, foldInUser(row, side), 64)
 */
export function alsUserLoss(row: SparseRow, side: ItemSide, x: Float32Array, factors: number): number {
  const k = side.stride;
  const y = side.itemFactors;
  const items = y.length / k;
  let loss = 0;
  let xNorm = 0;
  for (let a = 0; a < factors; a++) xNorm += x[a] * x[a];
  loss += side.regularization * (items + row.indices.length) * xNorm;
  let p = 0;
  for (let i = 0; i < items; i++) {
    let s = 0;
    for (let a = 0; a < factors; a++) s += x[a] * y[i * k + a];
    if (p < row.indices.length && row.indices[p] === i) {
      let yNorm = 0;
      for (let a = 0; a < factors; a++) yNorm += y[i * k + a] * y[i * k + a];
      loss += (1 + side.alpha * row.values[p]) * (1 - s) ** 2 + side.regularization * yNorm;
      p++;
    } else loss += s * s;
  }
  return loss;
}
