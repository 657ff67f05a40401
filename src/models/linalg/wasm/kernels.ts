import { KERNELS_WASM_BASE64 } from './kernels-binary.js';
import { wasmApi, type WasmModule } from './wasm-api.js';

/**
 * The exports of the numeric WebAssembly module (see kernels-wat.ts and als-wat.ts for exact contracts). Pointers are byte offsets
 * into the shared memory the module was instantiated over.
 */
export interface KernelExports {
  /** C[m x n] += Ap Bp over doubles; Ap packed [m/4][kk][4], Bp packed [n/4][kk][4]; m, n multiples of 4. */
  gemmAccF64(c: number, ldc: number, ap: number, bp: number, m: number, n: number, kk: number): void;
  /** C[m x n] += Ap Bp over floats; Ap packed [m/4][kk][4], Bp packed [n/8][kk][8]; m % 4 == 0, n % 8 == 0. */
  gemmAccF32(c: number, ldc: number, ap: number, bp: number, m: number, n: number, kk: number): void;
  /** Implicit ALS CG update of rows [r0, r1) of X with λ_u = regBase + regPerEvent·|row|; returns their loss share when withLoss is 1. */
  alsSolveRows(
    indptr: number, indices: number, conf: number, x: number, y: number, g: number,
    k: number, r0: number, r1: number, cgSteps: number, scratch: number, withLoss: number, regBase: number, regPerEvent: number,
  ): number;
  /**
   * Rows [a0, a1) of out (k x k) := the lower triangle of Σ_{u in [f0, f1)} F[u] F[u]ᵀ (entries right of the diagonal
   * are partly written and must be mirrored from the lower triangle by the caller).
   */
  gramLowerF32(f: number, k: number, f0: number, f1: number, out: number, a0: number, a1: number): void;
  /** x · (yi - yj) over k floats (k % 8 == 0). */
  bprScoreDiff(x: number, yi: number, yj: number, k: number): number;
  /** One BPR SGD step on x, yi, yj with gradient weight z = σ(-score), step lr and L2 penalty reg. */
  bprUpdate(x: number, yi: number, yj: number, k: number, z: number, lr: number, reg: number): void;
}

let compiled: WasmModule | undefined;

/**
 * The compiled kernel module (compiled once per thread, on first use; never at import time). Pass it to a
 * WorkerPool, which instantiates it in every worker over the pool's shared memory.
 *
 * @example const pool = WorkerPool.start({ kernels, size: 2, memory: arena.memory, module: kernelModule() });
 */
export function kernelModule(): WasmModule {
  compiled ??= new wasmApi.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
  return compiled;
}
