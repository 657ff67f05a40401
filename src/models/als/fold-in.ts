import type { SparseRow } from '../../core/sparse.js';
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky.js';

/** Fixed item side of a trained ALS model, as fold-in needs it. */
export interface ItemSide {
  /** items x stride, row-major. */
  itemFactors: Float32Array;
  /** stride x stride: YᵀY. */
  itemGram: Float32Array;
  stride: number;
  alpha: number;
  /** λ of the fit: the user's ridge is λ · (items + |history|), as in training. */
  regularization: number;
}

/**
 * The Cholesky factor of one user's weighted ridge system A_u = YᵀY + λ_u I + Σ_i α r_ui y_i y_iᵀ (float64, lower,
 * stride x stride), plus its right-hand side b_u = Σ_i (1 + α r_ui) y_i. The exact least-squares user vector is
 * A_u⁻¹ b_u; explanations reuse the factor. O(|history|·k² + k³): a few milliseconds at k = 64.
 *
 * @example const { factor, rhs } = userSystem(row, side); choleskySolveInPlace(factor, side.stride, rhs);
 */
export function userSystem(row: SparseRow, side: ItemSide): { factor: Float64Array; rhs: Float64Array } {
  const k = side.stride;
  const a = Float64Array.from(side.itemGram);
  const items = side.itemFactors.length / k;
  const lambda = side.regularization * (items + row.indices.length);
  for (let i = 0; i < k; i++) a[i * k + i] += lambda;
  const rhs = new Float64Array(k);
  for (let p = 0; p < row.indices.length; p++) {
    const base = row.indices[p] * k;
    const c = side.alpha * row.values[p];
    for (let i = 0; i < k; i++) {
      const yi = side.itemFactors[base + i];
      rhs[i] += (1 + c) * yi;
      if (yi === 0) continue;
      const cyi = c * yi;
      // lower triangle only: choleskyInPlace reads nothing above the diagonal
      for (let j = 0; j <= i; j++) a[i * k + j] += cyi * side.itemFactors[base + j];
    }
  }
  if (!choleskyInPlace(a, k)) throw new RangeError('ALS user system is not positive definite');
  return { factor: a, rhs };
}

/**
 * The exact user vector for a history against fixed item factors (length `stride`).
 *
 * @example const x = foldInUser({ indices: Int32Array.of(3, 7), values: Float32Array.of(1, 1) }, side);
 */
export function foldInUser(row: SparseRow, side: ItemSide): Float32Array {
  const { factor, rhs } = userSystem(row, side);
  choleskySolveInPlace(factor, side.stride, rhs);
  return Float32Array.from(rhs);
}
