import type { KernelExports } from '../linalg/wasm/kernels.js';
import type { KernelEnv } from '../workers/pool.js';

/** Byte offsets for one side's conjugate-gradient update (see KernelExports.alsSolveRows). */
export interface AlsSolveArgs {
  indptr: number;
  indices: number;
  conf: number;
  x: number;
  y: number;
  g: number;
  k: number;
  cgSteps: number;
  /** Three k-vectors of float32 owned by this worker. */
  scratch: number;
  withLoss: boolean;
  /** λ_u = regBase + regPerEvent · (events in row u). */
  regBase: number;
  regPerEvent: number;
  /** int32[chunkCount + 1]: chunk c is rows [bounds[c], bounds[c + 1]). */
  chunkBounds: number;
  chunkCount: number;
  /** int32 shared by all workers of the pass: the next unclaimed chunk (the caller sets it to 0 beforehand). */
  nextChunk: number;
  /** float64[chunkCount]: each chunk's loss share, written when withLoss. */
  chunkLosses: number;
}

/**
 * Worker kernel (self-contained): claims chunks of rows from the shared counter until none is left and CG-updates
 * them, so a worker slowed by other load simply claims fewer. Each row's update depends only on its own data and
 * the fixed side, so results do not depend on which worker took which chunk. Returns the chunks this worker solved.
 *
 * @example Atomics.store(next, 0, 0); await pool.all('alsSolve', () => ({ ...side, chunkBounds, chunkCount, nextChunk, chunkLosses }))
 */
export function alsSolveKernel(env: KernelEnv, a: AlsSolveArgs): number {
  const wasm = env.wasm as unknown as KernelExports;
  const buffer = env.memory.buffer;
  const next = new Int32Array(buffer, a.nextChunk, 1);
  const bounds = new Int32Array(buffer, a.chunkBounds, a.chunkCount + 1);
  const losses = new Float64Array(buffer, a.chunkLosses, a.chunkCount);
  let solved = 0;
  for (let c = Atomics.add(next, 0, 1); c < a.chunkCount; c = Atomics.add(next, 0, 1)) {
    const loss = wasm.alsSolveRows(
      a.indptr, a.indices, a.conf, a.x, a.y, a.g, a.k, bounds[c], bounds[c + 1], a.cgSteps, a.scratch, a.withLoss ? 1 : 0, a.regBase, a.regPerEvent,
    );
    if (a.withLoss) losses[c] = loss;
    solved++;
  }
  return solved;
}

export interface AlsGramArgs {
  factors: number;
  k: number;
  /** Factor rows (all of them enter every entry). */
  rows: number;
  /** k x k float32 Gram matrix; this worker writes its rows [rowStart, rowEnd). */
  out: number;
  rowStart: number;
  rowEnd: number;
}

/**
 * Worker kernel (self-contained): rows [rowStart, rowEnd) of the lower triangle of FᵀF. Workers own disjoint rows of
 * the result, so the sums need no reduction and do not depend on the thread count; mirror the upper triangle after.
 *
 * @example await pool.all('alsGram', (w) => ({ factors: y.ptr, k, rows: items, out: g.ptr, rowStart: r[w], rowEnd: r[w + 1] }))
 */
export function alsGramKernel(env: KernelEnv, a: AlsGramArgs): void {
  const wasm = env.wasm as unknown as KernelExports;
  if (a.rowEnd > a.rowStart) wasm.gramLowerF32(a.factors, a.k, 0, a.rows, a.out, a.rowStart, a.rowEnd);
}

export const ALS_KERNELS = { alsSolve: alsSolveKernel, alsGram: alsGramKernel };
