import { CsrMatrix } from '../../core/sparse.js';
import { sharedLayout } from '../linalg/arena.js';
import { copyUserItems, userItemLayout } from '../linalg/user-item-layout.js';
import { balancedRanges } from '../linalg/partition.js';
import { localKernelEnv, WorkerPool } from '../workers/pool.js';
import { prunedGramKernel, solveColumnsKernel, type PrunedGramArgs, type SolveColumnsArgs } from './kernels.js';

/** What defines a sparse EASE problem; SparseEaseParams extends it, so each field is documented once. */
export interface SparseEaseProblem {
  /** L2 regularisation λ of XᵀX + λI, as in dense EASE (scaled to the data by default). */
  lambda: number;
  /** Support per item: column j of B is solved over at most this many items (its largest co-occurrences). */
  neighbors: number;
  /** Entries kept per Gram row while fitting (≥ neighbors): more fills G_SS more exactly, at 8 bytes each per item. */
  gramNeighbors: number;
  /** Use 1 for every interaction instead of its weight. */
  binary: boolean;
}

export interface SparseEaseSolveOptions extends SparseEaseProblem {
  threads: number;
  /** Awaited between chunks of work (progress and cancellation); `done` counts up to `total`. */
  onStep: (done: number, total: number) => Promise<void>;
}

export interface SparseEaseSolution {
  /** items x items, row i = how item i in a history moves each target item (score_j = Σ_i x_i B_ij); zero diagonal. */
  weights: CsrMatrix;
  /** Columns whose pruned G_SS + λI needed a larger ridge to factor. */
  regularisedColumns: number;
  gramSeconds: number;
  solveSeconds: number;
}

const KERNELS = { gram: prunedGramKernel, columns: solveColumnsKernel };
/** Chunks of work per thread and phase: progress and cancellation are checked between them. */
const CHUNKS_PER_THREAD = 8;
/** Below this many events × neighbours a worker's start-up costs more than it saves. */
const LOCAL_WORK = 2_000_000;

/**
 * Neighbourhood-restricted EASE: each target item's column of EASE's B, solved exactly over its `neighbors` largest
 * co-occurrences (b = (G_SS + λI)⁻¹ G_Sj), the Gram matrix itself pruned to `gramNeighbors` entries per row so
 * neither the n x n Gram matrix nor its inverse is ever formed. Memory while fitting: the data twice (users x items
 * and its transpose) plus 8·gramNeighbors bytes per item; the model: 8·neighbors bytes per item. Both phases run on
 * worker threads over one shared memory.
 *
 * @example const { weights } = await solveSparseEase(data.matrix, { lambda: 300, neighbors: 64, gramNeighbors: 256, binary: true, threads: 2, onStep });
 */
export async function solveSparseEase(matrix: CsrMatrix, opts: SparseEaseSolveOptions): Promise<SparseEaseSolution> {
  const items = matrix.cols;
  const keep = Math.max(opts.gramNeighbors, opts.neighbors);
  const m = opts.neighbors;
  const rows = opts.binary ? matrix.mapValues(() => 1) : matrix;
  const cols = rows.transpose();
  const { memory, blocks } = sharedLayout({
    ...userItemLayout(rows, items),
    gramIndices: ['i32', items * keep], gramValues: ['f32', items * keep], gramLength: ['i32', items], diagonal: ['f64', items],
    outIndices: ['i32', items * m], outValues: ['f32', items * m], outLength: ['i32', items],
  });
  copyUserItems(blocks, rows, cols);
  // diag(XᵀX), the diagonal of every column's G_SS
  for (let i = 0; i < items; i++) {
    let sum = 0;
    for (let q = cols.indptr[i]; q < cols.indptr[i + 1]; q++) sum += cols.data[q] * cols.data[q];
    blocks.diagonal.view[i] = sum;
  }

  const threads = rows.nnz * m < LOCAL_WORK ? 1 : Math.max(1, opts.threads);
  const pool = threads > 1 ? WorkerPool.start({ kernels: KERNELS, size: threads, memory }) : undefined;
  const local = localKernelEnv(memory);
  const parts = threads * CHUNKS_PER_THREAD;
  const total = 2 * CHUNKS_PER_THREAD;
  // One phase: the item ranges in rounds of one chunk per thread, awaiting onStep between rounds.
  const phase = async <A>(name: keyof typeof KERNELS, ranges: number[], args: (start: number, end: number) => A, offset: number): Promise<number> => {
    let sum = 0;
    for (let round = 0; round < CHUNKS_PER_THREAD; round++) {
      const chunk = (w: number) => round * threads + w;
      const results = pool
        ? await pool.all(name, (w) => args(ranges[chunk(w)], ranges[chunk(w) + 1]) as never)
        : [KERNELS[name](local, args(ranges[chunk(0)], ranges[chunk(0) + 1]) as never)];
      sum += results.reduce((s, r) => s + r, 0);
      await opts.onStep(offset + round + 1, total);
    }
    return sum;
  };
  try {
    const t0 = performance.now();
    const gramCosts = new Float64Array(items);
    for (let i = 0; i < items; i++) {
      gramCosts[i] = 1;
      for (let q = cols.indptr[i]; q < cols.indptr[i + 1]; q++) gramCosts[i] += rows.rowLength(cols.indices[q]);
    }
    await phase('gram', balancedRanges(gramCosts, parts), (itemStart, itemEnd): PrunedGramArgs => ({
      rowIndptr: blocks.rowIndptr.ptr, rowIndices: blocks.rowIndices.ptr, rowValues: blocks.rowValues.ptr, users: rows.rows,
      colIndptr: blocks.colIndptr.ptr, colIndices: blocks.colIndices.ptr, colValues: blocks.colValues.ptr, items, nnz: rows.nnz,
      itemStart, itemEnd, keep,
      gramIndices: blocks.gramIndices.ptr, gramValues: blocks.gramValues.ptr, gramLength: blocks.gramLength.ptr,
    }), 0);
    const t1 = performance.now();
    // a column costs about s³/6 for its factor plus s·keep to gather G_SS
    const solveCosts = Float64Array.from(blocks.gramLength.view, (len) => {
      const s = Math.min(m, len);
      return 1 + (s * s * s) / 6 + s * keep;
    });
    const regularisedColumns = await phase('columns', balancedRanges(solveCosts, parts), (itemStart, itemEnd): SolveColumnsArgs => ({
      items, keep, neighbors: m, lambda: opts.lambda,
      gramIndices: blocks.gramIndices.ptr, gramValues: blocks.gramValues.ptr, gramLength: blocks.gramLength.ptr, diagonal: blocks.diagonal.ptr,
      itemStart, itemEnd, outIndices: blocks.outIndices.ptr, outValues: blocks.outValues.ptr, outLength: blocks.outLength.ptr,
    }), CHUNKS_PER_THREAD);
    const t2 = performance.now();
    const weights = rowsFromColumns(items, m, blocks.outIndices.view, blocks.outValues.view, blocks.outLength.view);
    return { weights, regularisedColumns, gramSeconds: (t1 - t0) / 1000, solveSeconds: (t2 - t1) / 1000 };
  } finally {
    await pool?.close();
  }
}

/**
 * The solved columns (target j: its source items and weights, `stride` slots each) as an items x items CSR matrix
 * by source item, columns ascending within each row, zero weights left out.
 */
function rowsFromColumns(items: number, stride: number, sources: Int32Array, values: Float32Array, lengths: Int32Array): CsrMatrix {
  const indptr = new Int32Array(items + 1);
  for (let j = 0; j < items; j++) {
    for (let t = 0; t < lengths[j]; t++) if (values[j * stride + t] !== 0) indptr[sources[j * stride + t] + 1]++;
  }
  for (let i = 0; i < items; i++) indptr[i + 1] += indptr[i];
  const fill = indptr.slice(0, items);
  const indices = new Int32Array(indptr[items]);
  const data = new Float32Array(indptr[items]);
  // targets visited in ascending order, so each source row comes out sorted by column
  for (let j = 0; j < items; j++) {
    for (let t = 0; t < lengths[j]; t++) {
      const v = values[j * stride + t];
      if (v === 0) continue;
      const p = fill[sources[j * stride + t]]++;
      indices[p] = j;
      data[p] = v;
    }
  }
  return new CsrMatrix(items, items, indptr, indices, data);
}
