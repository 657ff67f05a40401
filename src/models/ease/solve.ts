import { CsrMatrix } from '../../core/sparse.js';
import { sharedLayout } from '../linalg/arena.js';
import { copyUserItems, userItemLayout } from '../linalg/user-item-layout.js';
import { gramRowsKernel } from '../linalg/gram.js';
import { balancedRanges } from '../linalg/partition.js';
import { SWEEP_KERNELS, sweepInverse, sweepLayout, sweepShape, type SweepPrecision } from '../linalg/spd-inverse.js';
import { kernelModule } from '../linalg/wasm/kernels.js';
import { WorkerPool } from '../workers/pool.js';

/** What defines an EASE problem; EaseParams extends it, so each field is documented once. */
export interface EaseProblem {
  /** L2 regularisation λ of XᵀX + λI (Steck's default range 100..1000 for binary data). */
  lambda: number;
  /**
   * EDLAE dropout probability p (Steck 2020, "Autoencoders that don't overfit towards the identity"): each item is
   * regularised by λ + p/(1-p)·(XᵀX)_ii, so popular items are penalised for predicting themselves. 0 = plain EASE.
   */
  dropout: number;
  /**
   * User normalisation β in [0, 1] (DAN, Park et al. 2025, "Why is Normalization Necessary for Linear Recommenders?"):
   * user u's rows weigh n_u^-β in XᵀX, so heavy users do not dictate item-item weights. Weights are rescaled to keep
   * the total mass of XᵀX, so λ means the same for every β. 0 = plain EASE.
   */
  userNorm: number;
  /**
   * Item normalisation γ in [0, 1] (DAN's 1 - α): B_ij is scaled by (c_i / c_j)^γ with c the items' interaction
   * counts, which lowers popular targets and raises long-tail ones. 0 = plain EASE.
   */
  itemNorm: number;
  /** Use 1 for every interaction instead of its weight (Steck's setting, which the default lambda assumes). */
  binary: boolean;
  /** Keep at most this many items (the most interacted-with) in the dense problem. */
  maxItems: number;
}

export interface EaseSolveOptions extends EaseProblem {
  /** Precision of the dense inverse: float32 runs ~2x faster, float64 is for very small λ. */
  precision: SweepPrecision;
  threads: number;
  /** Awaited between stages and blocks (progress and cancellation); `done` counts up to `total`. */
  onStep: (done: number, total: number) => Promise<void>;
}

export interface EaseSolution {
  /** Item index of each dense row/column of `weights`, ascending. */
  items: Int32Array;
  /** n x n row-major B with a zero diagonal: score_j = Σ_i x_i B[i][j]. */
  weights: Float32Array;
  /** diag P, P = (XᵀX + λI)⁻¹: with B it gives P back, which exact unlearning downdates (unlearn.ts). */
  pinvDiagonal: Float64Array;
  droppedItems: number;
  gramSeconds: number;
  inverseSeconds: number;
}

const KERNELS = { gram: gramRowsKernel, ...SWEEP_KERNELS };

/**
 * The EASE closed form (Steck 2019): P = (XᵀX + λI)⁻¹, B = I - P diag(1/diag P), i.e. B_ij = -P_ij / P_jj with a
 * zero diagonal. Items without interactions are left out of the dense problem (their rows and columns of B would be
 * zero anyway). The Gram matrix and the n³ inverse run on worker threads over one shared dense matrix.
 *
 * @example const { items, weights } = await solveEase(data.matrix, { lambda: 500, binary: true, maxItems: 10_000, threads: 2, onStep });
 */
export async function solveEase(matrix: CsrMatrix, opts: EaseSolveOptions): Promise<EaseSolution> {
  const items = keptItems(matrix, opts.maxItems);
  const n = items.length;
  const { rows, cols, itemCounts } = denseProblem(matrix, items, opts.binary, opts.userNorm);
  const { nb, padded } = sweepShape(Math.max(1, n));
  const ld = padded + 8;
  // small problems are not worth a second thread's start-up
  const threads = padded <= 256 ? 1 : Math.max(1, opts.threads);
  const { memory, blocks } = sharedLayout({
    ...sweepLayout(padded, nb, opts.precision, threads),
    ...userItemLayout(rows, n),
  });
  copyUserItems(blocks, rows, cols);

  const steps = padded / nb + 2;
  const pool = WorkerPool.start({ kernels: KERNELS, size: threads, memory, module: kernelModule() });
  try {
    const t0 = performance.now();
    const ranges = balancedRanges(gramRowCosts(rows, padded), threads);
    await pool.all('gram', (w) => ({
      s: blocks.s.ptr,
      precision: opts.precision,
      rows: padded,
      ld,
      rowIndptr: blocks.rowIndptr.ptr,
      rowIndices: blocks.rowIndices.ptr,
      rowValues: blocks.rowValues.ptr,
      users: rows.rows,
      colIndptr: blocks.colIndptr.ptr,
      colIndices: blocks.colIndices.ptr,
      colValues: blocks.colValues.ptr,
      items: n,
      nnz: rows.nnz,
      itemStart: ranges[w],
      itemEnd: ranges[w + 1],
      diagonal: opts.lambda,
      diagonalScale: 1 + opts.dropout / (1 - opts.dropout),
    }));
    await opts.onStep(1, steps);
    const t1 = performance.now();
    await sweepInverse(pool, { precision: opts.precision, n: padded, nb, ld, s: blocks.s, qb: blocks.qb, wa: blocks.wa, va: blocks.va, tmp: blocks.tmp }, {
      onBlock: (done) => opts.onStep(1 + done, steps),
    });
    const t2 = performance.now();
    const weights = weightsFromSwept(blocks.s.view, ld, n);
    const pinvDiagonal = Float64Array.from({ length: n }, (_, j) => -blocks.s.view[j * ld + j]);
    if (opts.itemNorm > 0) normaliseItems(weights, itemCounts, opts.itemNorm);
    await opts.onStep(steps, steps);
    return {
      items,
      weights,
      pinvDiagonal,
      droppedItems: countItemsWithEvents(matrix) - n,
      gramSeconds: (t1 - t0) / 1000,
      inverseSeconds: (t2 - t1) / 1000,
    };
  } finally {
    await pool.close();
  }
}

function countItemsWithEvents(matrix: CsrMatrix): number {
  const seen = new Uint8Array(matrix.cols);
  for (let p = 0; p < matrix.nnz; p++) seen[matrix.indices[p]] = 1;
  return seen.reduce((a, b) => a + b, 0);
}

/**
 * Items with at least one interaction, capped to the `maxItems` most interacted-with (ties to the lower index).
 *
 * @example keptItems(data.matrix, 10_000) // Int32Array of item indexes, ascending
 */
export function keptItems(matrix: CsrMatrix, maxItems: number): Int32Array {
  const counts = new Int32Array(matrix.cols);
  for (let p = 0; p < matrix.nnz; p++) counts[matrix.indices[p]]++;
  let kept = Int32Array.from({ length: matrix.cols }, (_, i) => i).filter((i) => counts[i] > 0);
  if (kept.length > maxItems) {
    kept = kept.slice().sort((a, b) => counts[b] - counts[a] || a - b).subarray(0, maxItems).sort();
  }
  return kept;
}

/**
 * The users x kept-items matrix (dense item numbering, columns ascending) and its transpose, each user's values scaled
 * by √w_u so that their Gram product is XᵀWX (DAN user normalisation, w_u ∝ n_u^-β); and each kept item's
 * interaction count.
 */
function denseProblem(
  matrix: CsrMatrix,
  items: Int32Array,
  binary: boolean,
  userNorm: number,
): { rows: CsrMatrix; cols: CsrMatrix; itemCounts: Float64Array } {
  const dense = new Int32Array(matrix.cols).fill(-1);
  items.forEach((item, d) => (dense[item] = d));
  const indptr = new Int32Array(matrix.rows + 1);
  const indices = new Int32Array(matrix.nnz);
  const data = new Float32Array(matrix.nnz);
  let nnz = 0;
  for (let u = 0; u < matrix.rows; u++) {
    for (let p = matrix.indptr[u]; p < matrix.indptr[u + 1]; p++) {
      const d = dense[matrix.indices[p]];
      if (d < 0) continue;
      indices[nnz] = d;
      data[nnz++] = binary ? 1 : matrix.data[p];
    }
    indptr[u + 1] = nnz;
  }
  if (userNorm > 0) scaleUsers(indptr, data, userNorm);
  const itemCounts = new Float64Array(items.length);
  for (let p = 0; p < nnz; p++) itemCounts[indices[p]]++;
  const rows = new CsrMatrix(matrix.rows, items.length, indptr, indices.subarray(0, nnz), data.subarray(0, nnz));
  return { rows, cols: rows.transpose(), itemCounts };
}

/**
 * Multiplies user u's values by √w_u, w_u = n_u^-β · Σn / Σ n_u^(1-β): the Gram entries become Σ_u w_u x_ui x_uj and
 * Σ_u n_u w_u = Σ_u n_u, so the overall scale (and the meaning of λ) does not move with β.
 */
function scaleUsers(indptr: Int32Array, data: Float32Array, beta: number): void {
  const users = indptr.length - 1;
  let mass = 0;
  let weighted = 0;
  for (let u = 0; u < users; u++) {
    const n = indptr[u + 1] - indptr[u];
    mass += n;
    if (n > 0) weighted += n ** (1 - beta);
  }
  if (weighted === 0) return;
  const norm = mass / weighted;
  for (let u = 0; u < users; u++) {
    const n = indptr[u + 1] - indptr[u];
    if (n === 0) continue;
    const scale = Math.sqrt(n ** -beta * norm);
    for (let p = indptr[u]; p < indptr[u + 1]; p++) data[p] *= scale;
  }
}

/** B_ij ← B_ij · (c_i / c_j)^γ (DAN item normalisation); the diagonal stays zero. */
function normaliseItems(weights: Float32Array, counts: Float64Array, gamma: number): void {
  const n = counts.length;
  const power = Float64Array.from(counts, (c) => Math.max(c, 1) ** gamma);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) weights[row + j] *= power[i] / power[j];
  }
}

/** Work per Gram row: each (user, item i) pair visits the user's items up to i. */
function gramRowCosts(rows: CsrMatrix, padded: number): Float64Array {
  const cost = new Float64Array(padded).fill(1);
  for (let u = 0; u < rows.rows; u++) {
    for (let p = rows.indptr[u]; p < rows.indptr[u + 1]; p++) cost[rows.indices[p]] += p - rows.indptr[u] + 1;
  }
  return cost;
}

/**
 * B from the swept matrix S = -P (lower triangle, row stride ld): B_ij = -S_ij / S_jj, zero diagonal.
 * Tiled so the transposed writes stay in cache.
 */
export function weightsFromSwept(s: Float32Array | Float64Array, ld: number, n: number): Float32Array {
  const b = new Float32Array(n * n);
  const tile = 64;
  for (let i0 = 0; i0 < n; i0 += tile) {
    for (let j0 = 0; j0 <= i0; j0 += tile) {
      for (let i = i0; i < Math.min(i0 + tile, n); i++) {
        const sii = s[i * ld + i];
        for (let j = j0; j < Math.min(j0 + tile, i); j++) {
          const v = s[i * ld + j];
          b[i * n + j] = -v / s[j * ld + j];
          b[j * n + i] = -v / sii;
        }
      }
    }
  }
  return b;
}
