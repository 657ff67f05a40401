import type { CsrMatrix } from '../../core/sparse.js';
import { sharedLayout, type SharedBlock } from '../linalg/arena.js';
import { balancedRanges } from '../linalg/partition.js';
import { mulberry32 } from '../linalg/random.js';
import { kernelModule } from '../linalg/wasm/kernels.js';
import { WorkerPool } from '../workers/pool.js';
import { ALS_KERNELS } from './als-kernels.js';

export interface AlsTrainOptions {
  /** Latent factors actually learnt; vectors are stored with `stride` (a multiple of 8) and zero padding. */
  factors: number;
  stride: number;
  /** λ: row u gets λ_u = λ · (events of u + rows of the other side), frequency-scaled as in Rendle et al. 2021. */
  regularization: number;
  /** Confidence c = 1 + alpha · weight. */
  alpha: number;
  iterations: number;
  cgSteps: number;
  seed: number;
  threads: number;
  /** Awaited after every iteration with the training loss per matrix cell (throw from it to cancel). */
  onIteration: (done: number, total: number, loss: number) => Promise<void>;
}

export interface AlsFactors {
  /** users x stride, row-major. */
  userFactors: Float32Array;
  /** items x stride, row-major. */
  itemFactors: Float32Array;
  /** stride x stride: YᵀY of the final item factors (the fixed part of every fold-in system). */
  itemGram: Float32Array;
  losses: number[];
}

/** Below this many interactions a second worker costs more than it saves. */
const PARALLEL_MIN_NNZ = 20_000;
/**
 * Each side's rows are cut into this many chunks of about equal cost, which workers claim one by one. The count is
 * fixed (not per thread) so that chunk losses, summed in chunk order, are the same for every thread count.
 */
const CHUNKS = 256;

/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008) with the conjugate-gradient solver of Takács et al.: each
 * iteration solves all users against fixed items, then all items against fixed users, `cgSteps` warm-started CG
 * steps per row, on worker threads over shared float32 factors. Deterministic for a seed, whatever the thread count:
 * rows are solved independently and every Gram entry is one sequential sum.
 *
 * @example const f = await trainAls(data.matrix, { factors: 64, stride: 64, regularization: 0.02, alpha: 1, iterations: 15, cgSteps: 3, seed: 1, threads: 2, onIteration });
 */
export async function trainAls(matrix: CsrMatrix, opts: AlsTrainOptions): Promise<AlsFactors> {
  const users = matrix.rows;
  const items = matrix.cols;
  const nnz = matrix.nnz;
  const k = opts.stride;
  const threads = nnz < PARALLEL_MIN_NNZ ? 1 : Math.max(1, opts.threads);
  const { memory, blocks } = sharedLayout({
    uIndptr: ['i32', users + 1], uIndices: ['i32', nnz], uConf: ['f32', nnz],
    iIndptr: ['i32', items + 1], iIndices: ['i32', nnz], iConf: ['f32', nnz],
    x: ['f32', users * k], y: ['f32', items * k], g: ['f32', k * k], scratch: ['f32', threads * 4 * k],
    uChunks: ['i32', CHUNKS + 1], iChunks: ['i32', CHUNKS + 1], nextChunk: ['i32', 1], chunkLosses: ['f64', CHUNKS],
  });
  // workers boot (tens of milliseconds) while this thread fills the shared arrays
  const pool = WorkerPool.start({ kernels: ALS_KERNELS, size: threads, memory, module: kernelModule() });
  try {
    const byItem = matrix.transpose();
    blocks.uIndptr.view.set(matrix.indptr);
    blocks.uIndices.view.set(matrix.indices);
    blocks.iIndptr.view.set(byItem.indptr);
    blocks.iIndices.view.set(byItem.indices);
    for (let p = 0; p < nnz; p++) {
      blocks.uConf.view[p] = opts.alpha * matrix.data[p];
      blocks.iConf.view[p] = opts.alpha * byItem.data[p];
    }
    const rand = mulberry32(opts.seed);
    for (const f of [blocks.x, blocks.y]) {
      for (let row = 0; row < f.length / k; row++) for (let a = 0; a < opts.factors; a++) f.view[row * k + a] = rand() * 0.01;
    }
    const chunkCounts = { users: writeChunkBounds(matrix, k, blocks.uChunks.view), items: writeChunkBounds(byItem, k, blocks.iChunks.view) };
    // Gram row a costs the (a/4 + 1) four-float chunks up to its diagonal
    const gramRanges = balancedRanges(Float64Array.from({ length: k }, (_, a) => (a >> 2) + 1), threads);

    const gram = async (factors: SharedBlock<Float32Array>, rows: number): Promise<void> => {
      await pool.all('alsGram', (w) => ({ factors: factors.ptr, k, rows, out: blocks.g.ptr, rowStart: gramRanges[w], rowEnd: gramRanges[w + 1] }));
      mirrorLowerTriangle(blocks.g.view, k);
    };
    const solve = async (side: 'users' | 'items', withLoss: boolean): Promise<number> => {
      const u = side === 'users';
      const chunkCount = chunkCounts[side];
      Atomics.store(blocks.nextChunk.view, 0, 0);
      await pool.all('alsSolve', (w) => ({
        indptr: (u ? blocks.uIndptr : blocks.iIndptr).ptr,
        indices: (u ? blocks.uIndices : blocks.iIndices).ptr,
        conf: (u ? blocks.uConf : blocks.iConf).ptr,
        x: (u ? blocks.x : blocks.y).ptr,
        y: (u ? blocks.y : blocks.x).ptr,
        g: blocks.g.ptr,
        k,
        cgSteps: opts.cgSteps,
        scratch: blocks.scratch.ptr + w * 4 * k * 4,
        withLoss,
        regBase: opts.regularization * (u ? items : users),
        regPerEvent: opts.regularization,
        chunkBounds: (u ? blocks.uChunks : blocks.iChunks).ptr,
        chunkCount,
        nextChunk: blocks.nextChunk.ptr,
        chunkLosses: blocks.chunkLosses.ptr,
      }));
      let loss = 0;
      if (withLoss) for (let c = 0; c < chunkCount; c++) loss += blocks.chunkLosses.view[c];
      return loss;
    };

    const losses: number[] = [];
    for (let it = 0; it < opts.iterations; it++) {
      await gram(blocks.y, items);
      await solve('users', false);
      await gram(blocks.x, users);
      const itemPass = solve('items', true);
      // X is fixed during the item pass, so its penalty Σ_u λ_u‖x_u‖² is summed meanwhile; the item pass counts
      // y_iᵀ(XᵀX + λ_i I)y_i, which covers the item penalties
      const penalty = userPenalty(blocks.x.view, matrix, k, opts.regularization);
      const loss = ((await itemPass) + penalty) / Math.max(1, users * items);
      losses.push(loss);
      await opts.onIteration(it + 1, opts.iterations, loss);
    }
    await gram(blocks.y, items);
    return { userFactors: blocks.x.view.slice(), itemFactors: blocks.y.view.slice(), itemGram: blocks.g.view.slice(), losses };
  } finally {
    await pool.close();
  }
}

/**
 * Writes the boundaries of at most CHUNKS row ranges of about equal solve cost into `out`; returns how many ranges.
 * A row costs its interactions (a dot product and an axpy each per CG step) plus k/2 for its k x k mat-vec per step,
 * in the same units.
 */
function writeChunkBounds(m: CsrMatrix, k: number, out: Int32Array): number {
  const costs = Float64Array.from({ length: m.rows }, (_, r) => m.rowLength(r) + k / 2 + 1);
  const bounds = balancedRanges(costs, Math.max(1, Math.min(CHUNKS, m.rows)));
  let count = 0;
  out[0] = 0;
  for (const b of bounds) if (b > out[count]) out[++count] = b;
  return count;
}

/** Copies the lower triangle of a k x k row-major matrix onto its upper triangle. */
function mirrorLowerTriangle(g: Float32Array, k: number): void {
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) g[a * k + b] = g[b * k + a];
}

function userPenalty(x: Float32Array, matrix: CsrMatrix, k: number, regularization: number): number {
  let total = 0;
  for (let u = 0; u < matrix.rows; u++) {
    let norm = 0;
    for (let a = u * k; a < (u + 1) * k; a++) norm += x[a] * x[a];
    total += regularization * (matrix.cols + matrix.rowLength(u)) * norm;
  }
  return total;
}
