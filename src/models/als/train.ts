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
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008) with the conjugate-gradient solver of Takács et al.: each
 * iteration solves all users against fixed items, then all items against fixed users, `cgSteps` warm-started CG
 * steps per row, on worker threads over shared float32 factors. Deterministic for a seed and thread count.
 *
 * @example const f = await trainAls(data.matrix, { factors: 64, stride: 64, regularization: 0.02, alpha: 1, iterations: 15, cgSteps: 3, seed: 1, threads: 2, onIteration });
 */
export async function trainAls(matrix: CsrMatrix, opts: AlsTrainOptions): Promise<AlsFactors> {
  const users = matrix.rows;
  const items = matrix.cols;
  const nnz = matrix.nnz;
  const k = opts.stride;
  const threads = nnz < PARALLEL_MIN_NNZ ? 1 : Math.max(1, opts.threads);
  const byItem = matrix.transpose();
  const { memory, blocks } = sharedLayout({
    uIndptr: ['i32', users + 1], uIndices: ['i32', nnz], uConf: ['f32', nnz],
    iIndptr: ['i32', items + 1], iIndices: ['i32', nnz], iConf: ['f32', nnz],
    x: ['f32', users * k], y: ['f32', items * k], g: ['f32', k * k],
    parts: ['f32', threads * k * k], scratch: ['f32', threads * 4 * k],
  });
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

  const rowCost = (m: CsrMatrix) => Float64Array.from({ length: m.rows }, (_, r) => 2 * m.rowLength(r) + k / 8 + 1);
  const userRanges = balancedRanges(rowCost(matrix), threads);
  const itemRanges = balancedRanges(rowCost(byItem), threads);
  const pool = WorkerPool.start({ kernels: ALS_KERNELS, size: threads, memory, module: kernelModule() });

  const gram = async (factors: SharedBlock<Float32Array>, rows: number): Promise<void> => {
    const ranges = balancedRanges(new Float64Array(rows).fill(1), threads);
    await pool.all('alsGram', (w) => ({ factors: factors.ptr, k, rowStart: ranges[w], rowEnd: ranges[w + 1], out: blocks.parts.ptr + w * k * k * 4 }));
    const g = blocks.g.view;
    const parts = blocks.parts.view;
    for (let e = 0; e < k * k; e++) {
      let s = 0;
      for (let w = 0; w < threads; w++) s += parts[w * k * k + e];
      g[e] = s;
    }
  };
  const solve = (side: 'users' | 'items', withLoss: boolean): Promise<number[]> => {
    const u = side === 'users';
    const ranges = u ? userRanges : itemRanges;
    return pool.all('alsSolve', (w) => ({
      indptr: (u ? blocks.uIndptr : blocks.iIndptr).ptr,
      indices: (u ? blocks.uIndices : blocks.iIndices).ptr,
      conf: (u ? blocks.uConf : blocks.iConf).ptr,
      x: (u ? blocks.x : blocks.y).ptr,
      y: (u ? blocks.y : blocks.x).ptr,
      g: blocks.g.ptr,
      k,
      rowStart: ranges[w],
      rowEnd: ranges[w + 1],
      cgSteps: opts.cgSteps,
      scratch: blocks.scratch.ptr + w * 4 * k * 4,
      withLoss,
      regBase: opts.regularization * (u ? items : users),
      regPerEvent: opts.regularization,
    }));
  };

  try {
    const losses: number[] = [];
    for (let it = 0; it < opts.iterations; it++) {
      await gram(blocks.y, items);
      await solve('users', false);
      await gram(blocks.x, users);
      const itemLoss = (await solve('items', true)).reduce((a, b) => a + b, 0);
      // the item pass counted y_iᵀ(XᵀX + λ_i I)y_i, which covers the item penalties; add Σ_u λ_u‖x_u‖²
      const loss = (itemLoss + userPenalty(blocks.x.view, matrix, k, opts.regularization)) / Math.max(1, users * items);
      losses.push(loss);
      await opts.onIteration(it + 1, opts.iterations, loss);
    }
    await gram(blocks.y, items);
    return { userFactors: blocks.x.view.slice(), itemFactors: blocks.y.view.slice(), itemGram: blocks.g.view.slice(), losses };
  } finally {
    await pool.close();
  }
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
