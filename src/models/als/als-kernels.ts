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
  rowStart: number;
  rowEnd: number;
  cgSteps: number;
  scratch: number;
  withLoss: boolean;
  /** λ_u = regBase + regPerEvent · (events in row u). */
  regBase: number;
  regPerEvent: number;
}

/**
 * Worker kernel (self-contained): CG-updates rows [rowStart, rowEnd) of one side; returns their loss share.
 *
 * @example await pool.all('alsSolve', (w) => ({ ...sides, rowStart: ranges[w], rowEnd: ranges[w + 1], withLoss: false }))
 */
export function alsSolveKernel(env: KernelEnv, a: AlsSolveArgs): number {
  const wasm = env.wasm as unknown as KernelExports;
  if (a.rowEnd <= a.rowStart) return 0;
  return wasm.alsSolveRows(a.indptr, a.indices, a.conf, a.x, a.y, a.g, a.k, a.rowStart, a.rowEnd, a.cgSteps, a.scratch, a.withLoss ? 1 : 0, a.regBase, a.regPerEvent);
}

export interface AlsGramArgs {
  factors: number;
  k: number;
  rowStart: number;
  rowEnd: number;
  /** k x k float32 partial sum owned by this worker (overwritten). */
  out: number;
}

/**
 * Worker kernel (self-contained): out = Σ_{rows in range} f fᵀ, one worker's share of FᵀF.
 *
 * @example await pool.all('alsGram', (w) => ({ factors: y.ptr, k, rowStart: r[w], rowEnd: r[w + 1], out: parts.ptr + w * k * k * 4 }))
 */
export function alsGramKernel(env: KernelEnv, a: AlsGramArgs): void {
  const wasm = env.wasm as unknown as KernelExports;
  new Float32Array(env.memory.buffer, a.out, a.k * a.k).fill(0);
  wasm.gramAccF32(a.factors, a.k, a.rowStart, a.rowEnd, a.out);
}

export const ALS_KERNELS = { alsSolve: alsSolveKernel, alsGram: alsGramKernel };
