import type { CsrMatrix } from '../../core/sparse.js';
import { createRandom } from '../../eval/random.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface TruncatedSvdOptions {
  /** Number of factors kept. */
  rank: number;
  /** Extra random directions beyond `rank` (default 10): better accuracy of the kept ones. */
  oversample?: number;
  /** Power iterations (default 3): sharpen the spectrum so the top factors are found accurately. */
  powerIterations?: number;
  seed?: number;
  /** Called between the sparse passes (they are the costly part) so a fit can yield and cancel. */
  onPass?: () => Promise<void>;
}

export interface ItemFactors {
  /** Row-major items x rank: left singular vectors of the items x users matrix, scaled by the singular values. */
  factors: Float32Array;
  rank: number;
  singularValues: Float64Array;
}

/**
 * Truncated SVD of the items x users matrix (the transpose of `users`) by the randomized range finder of Halko,
 * Martinsson & Tropp (2011, Algorithms 4.4 + 5.1): a few sparse passes and dense work of O(items x l^2) with
 * l = rank + oversample. Item rows of U·Σ keep the items' co-occurrence structure (A Aᵀ ≈ UΣ²Uᵀ) with the noise of
 * rare co-occurrences smoothed away, which is what item-to-item cosine needs.
 *
 * @example const { factors, rank } = await truncatedItemFactors(data.matrix, { rank: 64, seed: 42 })
 */
export async function truncatedItemFactors(users: CsrMatrix, opts: TruncatedSvdOptions): Promise<ItemFactors> {
  const nItems = users.cols;
  const nUsers = users.rows;
  const l = Math.max(1, Math.min(opts.rank + (opts.oversample ?? 10), nItems, nUsers));
  const rank = Math.max(1, Math.min(opts.rank, l));
  const rng = createRandom(opts.seed ?? 0);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const omega = Float64Array.from({ length: nUsers * l }, gauss);

  let q = itemsTimes(users, omega, l);
  orthonormaliseColumns(q, nItems, l);
  for (let it = 0; it < (opts.powerIterations ?? 3); it++) {
    await opts.onPass?.();
    const z = usersTimes(users, q, l);
    orthonormaliseColumns(z, nUsers, l);
    q = itemsTimes(users, z, l);
    orthonormaliseColumns(q, nItems, l);
  }
  await opts.onPass?.();
  // B = Qᵀ A is l x users; Bᵀ = A ᵀQ = X Q. The eigenvectors W of B Bᵀ = (XQ)ᵀ(XQ) give U = Q W and σ² = eigenvalues.
  const bt = usersTimes(users, q, l);
  const gram = new Float64Array(l * l);
  for (let u = 0; u < nUsers; u++) {
    const base = u * l;
    for (let a = 0; a < l; a++) {
      const x = bt[base + a];
      if (x === 0) continue;
      for (let b = a; b < l; b++) gram[a * l + b] += x * bt[base + b];
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) gram[a * l + b] = gram[b * l + a];
  const { values, vectors } = symmetricEigen(gram, l);
  const singularValues = Float64Array.from(values.subarray(0, rank), (x) => Math.sqrt(Math.max(0, x)));
  const factors = new Float32Array(nItems * rank);
  for (let i = 0; i < nItems; i++) {
    for (let r = 0; r < rank; r++) {
      let s = 0;
      for (let c = 0; c < l; c++) s += q[i * l + c] * vectors[c * l + r];
      factors[i * rank + r] = s * singularValues[r];
    }
  }
  return { factors, rank, singularValues };
}

/** Aᵀ-side product: (items x l) = Xᵀ (items x users) · M (users x l), all row-major. */
function itemsTimes(x: CsrMatrix, m: Float64Array, l: number): Float64Array {
  const out = new Float64Array(x.cols * l);
  for (let u = 0; u < x.rows; u++) {
    const mBase = u * l;
    for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) {
      const w = x.data[p];
      const oBase = x.indices[p] * l;
      for (let c = 0; c < l; c++) out[oBase + c] += w * m[mBase + c];
    }
  }
  return out;
}

/** (users x l) = X (users x items) · M (items x l), all row-major. */
function usersTimes(x: CsrMatrix, m: Float64Array, l: number): Float64Array {
  const out = new Float64Array(x.rows * l);
  for (let u = 0; u < x.rows; u++) {
    const oBase = u * l;
    for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) {
      const w = x.data[p];
      const mBase = x.indices[p] * l;
      for (let c = 0; c < l; c++) out[oBase + c] += w * m[mBase + c];
    }
  }
  return out;
}

/**
 * Modified Gram-Schmidt, twice over ("twice is enough") for numerical orthogonality, on the columns of a row-major
 * rows x cols matrix, in place. Columns that vanish (rank deficiency) become zero.
 */
export function orthonormaliseColumns(m: Float64Array, rows: number, cols: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < cols; c++) {
      const before = columnNorm(m, rows, cols, c);
      for (let prev = 0; prev < c; prev++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += m[r * cols + c] * m[r * cols + prev];
        if (dot === 0) continue;
        for (let r = 0; r < rows; r++) m[r * cols + c] -= dot * m[r * cols + prev];
      }
      const norm = columnNorm(m, rows, cols, c);
      // a column that lost almost all of its length lies in the span of the previous ones
      const inv = norm > 1e-9 * before && norm > 0 ? 1 / norm : 0;
      for (let r = 0; r < rows; r++) m[r * cols + c] *= inv;
    }
  }
}

function columnNorm(m: Float64Array, rows: number, cols: number, c: number): number {
  let sq = 0;
  for (let r = 0; r < rows; r++) sq += m[r * cols + c] * m[r * cols + c];
  return Math.sqrt(sq);
}
