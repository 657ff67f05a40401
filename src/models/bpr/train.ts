import type { CsrMatrix } from '../../core/sparse.js';
import { sharedLayout } from '../linalg/arena.js';
import { mulberry32 } from '../linalg/random.js';
import { kernelModule } from '../linalg/wasm/kernels.js';
import { WorkerPool } from '../workers/pool.js';
import { BPR_KERNELS } from './bpr-kernels.js';

export interface BprTrainOptions {
  factors: number;
  /** Row stride of the factor matrices: factors rounded up to a multiple of 8, zero-padded. */
  stride: number;
  learningRate: number;
  regularization: number;
  iterations: number;
  seed: number;
  verifyNegative: boolean;
  /** Worker threads; more than one runs Hogwild and is no longer bit-for-bit reproducible. */
  threads: number;
  /** Awaited after every epoch with the mean ln σ over its samples (throw from it to cancel). */
  onEpoch: (done: number, total: number, logLikelihood: number) => Promise<void>;
}

export interface BprFactors {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  itemBias: Float32Array;
  logLikelihoods: number[];
}

/**
 * Trains BPR-MF by SGD: every epoch takes as many samples as there are interactions, on worker threads over shared
 * factors (one worker: deterministic for a seed; several: Hogwild). Factors start uniform in ±0.5/factors.
 *
 * @example const f = await trainBpr(data.matrix, { factors: 64, stride: 64, learningRate: 0.05, regularization: 0.01, iterations: 50, seed: 1, verifyNegative: true, threads: 1, onEpoch });
 */
export async function trainBpr(matrix: CsrMatrix, opts: BprTrainOptions): Promise<BprFactors> {
  const { rows: users, cols: items, nnz } = matrix;
  const k = opts.stride;
  const threads = Math.max(1, opts.threads);
  const { memory, blocks } = sharedLayout({
    indptr: ['i32', users + 1], indices: ['i32', nnz], rowOf: ['i32', nnz],
    x: ['f32', users * k], y: ['f32', items * k], bias: ['f32', items],
  });
  blocks.indptr.view.set(matrix.indptr);
  blocks.indices.view.set(matrix.indices);
  for (let u = 0; u < users; u++) blocks.rowOf.view.fill(u, matrix.indptr[u], matrix.indptr[u + 1]);
  const rand = mulberry32(opts.seed);
  for (const f of [blocks.x.view, blocks.y.view]) {
    for (let row = 0; row < f.length / k; row++) for (let a = 0; a < opts.factors; a++) f[row * k + a] = (rand() - 0.5) / opts.factors;
  }

  const pool = WorkerPool.start({ kernels: BPR_KERNELS, size: threads, memory, module: kernelModule() });
  try {
    const logLikelihoods: number[] = [];
    for (let epoch = 0; epoch < opts.iterations; epoch++) {
      const results = nnz === 0 ? [] : await pool.all('bprEpoch', (w) => ({
        indptr: blocks.indptr.ptr, indices: blocks.indices.ptr, rowOf: blocks.rowOf.ptr,
        users, items, nnz,
        x: blocks.x.ptr, y: blocks.y.ptr, bias: blocks.bias.ptr, stride: k,
        samples: Math.floor(nnz / threads) + (w < nnz % threads ? 1 : 0),
        learningRate: opts.learningRate,
        regularization: opts.regularization,
        // a distinct, reproducible stream per epoch and worker
        seed: (Math.imul(opts.seed ^ 0x9e3779b9, 31) + Math.imul(epoch + 1, 0x85ebca6b) + Math.imul(w + 1, 0xc2b2ae35)) >>> 0,
        verifyNegative: opts.verifyNegative,
      }));
      const taken = results.reduce((s, r) => s + r.taken, 0);
      const ll = taken > 0 ? results.reduce((s, r) => s + r.logLikelihood, 0) / taken : 0;
      logLikelihoods.push(ll);
      await opts.onEpoch(epoch + 1, opts.iterations, ll);
    }
    return { userFactors: blocks.x.view.slice(), itemFactors: blocks.y.view.slice(), itemBias: blocks.bias.view.slice(), logLikelihoods };
  } finally {
    await pool.close();
  }
}
