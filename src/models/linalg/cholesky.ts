/**
 * Small dense symmetric-positive-definite routines over row-major Float64Arrays: the k x k systems of ALS fold-in
 * and explanations, and the diagonal blocks of the blocked EASE inverse. O(n³) scalar code, meant for n up to a few
 * hundred.
 */

/**
 * Overwrites the lower triangle of `a` (n x n, row-major) with L where A = L Lᵀ; the strict upper triangle is left
 * untouched. Returns false when A is not (numerically) positive definite.
 *
 * @example const a = Float64Array.of(4, 2, 2, 3); choleskyInPlace(a, 2); // a = [2, 2, 1, √2] (lower: 2, 1, √2)
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = a[rowJ + j];
    for (let k = 0; k < j; k++) d -= a[rowJ + k] * a[rowJ + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) s -= a[rowI + k] * a[rowJ + k];
      a[rowI + j] = s / ljj;
    }
  }
  return true;
}

/**
 * Solves L Lᵀ x = b in place (b becomes x) given the factor from choleskyInPlace.
 *
 * @example choleskySolveInPlace(l, n, b);
 */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const row = i * n;
    for (let k = 0; k < i; k++) s -= l[row + k] * b[k];
    b[i] = s / l[row + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/**
 * The full (both triangles) inverse of an SPD matrix given its lower triangle, via A⁻¹ = L⁻ᵀ L⁻¹. Returns undefined
 * when A is not positive definite. `a` is not modified.
 *
 * @example invertSpd(Float64Array.of(2, 0, 0, 4), 2) // [0.5, 0, 0, 0.25]
 */
export function invertSpd(a: Float64Array, n: number): Float64Array | undefined {
  const l = a.slice(0, n * n);
  if (!choleskyInPlace(l, n)) return undefined;
  // w = L⁻¹ (lower), column by column by forward substitution
  const w = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    w[j * n + j] = 1 / l[j * n + j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let k = j; k < i; k++) s -= l[row + k] * w[k * n + j];
      w[row + j] = s / l[row + i];
    }
  }
  // A⁻¹[i][j] = Σ_{k >= max(i, j)} w[k][i] w[k][j]
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += w[k * n + i] * w[k * n + j];
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}
