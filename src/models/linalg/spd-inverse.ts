import { EngineError } from '../../core/errors.js';
import type { KernelArgs, KernelResult } from '../workers/pool.js';
import type { SharedBlock } from './arena.js';
import { invertSpd } from './cholesky.js';
import { balancedRanges } from './partition.js';
import { sweepPanelKernel, sweepUpdateKernel } from './sweep-kernels.js';

/** Kernels a pool needs for sweepInverse (spread them into the pool's kernel record). */
export const SWEEP_KERNELS = { sweepPanel: sweepPanelKernel, sweepUpdate: sweepUpdateKernel };
export type SweepKernels = typeof SWEEP_KERNELS;

/** The part of a WorkerPool that sweepInverse uses (any pool whose kernels include SWEEP_KERNELS). */
export interface SweepRunner {
  readonly size: number;
  all<N extends keyof SweepKernels & string>(name: N, argsFor: (w: number) => KernelArgs<SweepKernels[N]>): Promise<Array<KernelResult<SweepKernels[N]>>>;
}

export type SweepPrecision = 'f32' | 'f64';
type View = Float32Array | Float64Array;

/** Shared buffers of a sweep of order `n` (a multiple of `nb`, itself a multiple of 8); see sweepLayout. */
export interface SweepBuffers {
  precision: SweepPrecision;
  n: number;
  nb: number;
  /** Row stride of `s` (n + 8: the micro-kernel may spill past the diagonal into the padding). */
  ld: number;
  s: SharedBlock<View>;
  qb: SharedBlock<View>;
  wa: SharedBlock<View>;
  va: SharedBlock<View>;
  /** nb x 8 scratch per worker. */
  tmp: SharedBlock<View>;
}

/**
 * Layout entries (for sharedLayout) of a sweep of order n with block size nb for `threads` workers.
 *
 * @example const { memory, blocks } = sharedLayout({ ...sweepLayout(n, nb, 'f32', 2), other: ['i32', 10] });
 */
export function sweepLayout(n: number, nb: number, precision: SweepPrecision, threads: number) {
  return {
    s: [precision, n * (n + 8)],
    qb: [precision, (n + 8) * nb],
    wa: [precision, n * nb],
    va: [precision, nb * nb],
    tmp: [precision, threads * nb * 8],
  } as const;
}

/**
 * Block size and padded order for an SPD problem of order n: blocks of up to 128, order a multiple of the block.
 *
 * @example sweepShape(3706) // { nb: 128, padded: 3712 }
 */
export function sweepShape(n: number): { nb: number; padded: number } {
  const nb = Math.min(128, Math.max(8, Math.ceil(n / 8) * 8));
  return { nb, padded: Math.ceil(n / nb) * nb };
}

export interface SweepOptions {
  /** Columns per cache block in the update, a multiple of 8 (default 256). */
  colBlock?: number;
  /** Awaited after each block; throw from it to cancel. */
  onBlock?: (done: number, total: number) => Promise<void> | void;
}

/**
 * Inverts an SPD matrix in place by the blocked symmetric sweep (Gauss-Jordan on diagonal pivots): on entry the
 * lower triangle of `buf.s` holds A, on exit it holds -A⁻¹. Each block costs a small nb x nb SPD inverse here (in
 * float64) plus a rank-nb update of the lower triangle, split across the pool's workers by rows of equal work;
 * n³ flops in all. Throws EngineError INVALID_INPUT when A is not positive definite.
 *
 * @example await sweepInverse(pool, buffers, { onBlock: () => control.check() });
 */
export async function sweepInverse(pool: SweepRunner, buf: SweepBuffers, opts: SweepOptions = {}): Promise<void> {
  const { n, nb, ld, precision } = buf;
  if (n % nb !== 0 || nb % 8 !== 0 || ld < n + 8) throw new RangeError(`sweep order ${n} must be a multiple of the block ${nb} (a multiple of 8), ld >= n + 8`);
  const colBlock = opts.colBlock ?? 256;
  const w = precision === 'f32' ? 8 : 4;
  const groups = balancedRanges(new Float64Array(n / w).fill(1), pool.size);
  // row i of the lower triangle costs i + 1: split rows so every worker gets the same area
  const rows = balancedRanges(Float64Array.from({ length: n }, (_, i) => i + 1), pool.size, 8);
  const s = buf.s.view;
  const va = buf.va.view;
  const d = new Float64Array(nb * nb);
  const steps = n / nb;
  for (let step = 0; step < steps; step++) {
    const k0 = step * nb;
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j <= i; j++) {
        const v = s[(k0 + i) * ld + k0 + j];
        d[i * nb + j] = v;
        d[j * nb + i] = v;
      }
    }
    const inv = invertSpd(d, nb);
    if (!inv) throw new EngineError('INVALID_INPUT', 'matrix is not positive definite (increase the regularisation)', { block: step });
    for (let i = 0; i < nb; i++) for (let t = 0; t < nb; t++) va[(i >> 2) * nb * 4 + t * 4 + (i & 3)] = -inv[i * nb + t];
    const common = { precision, s: buf.s.ptr, n, ld, qb: buf.qb.ptr, wa: buf.wa.ptr, va: buf.va.ptr, nb, k0 };
    const tmpBytes = nb * 8 * (precision === 'f32' ? 4 : 8);
    await pool.all('sweepPanel', (wk) => ({ ...common, groupStart: groups[wk], groupEnd: groups[wk + 1], tmp: buf.tmp.ptr + wk * tmpBytes }));
    await pool.all('sweepUpdate', (wk) => ({ ...common, rowStart: rows[wk], rowEnd: rows[wk + 1], colBlock }));
    await opts.onBlock?.(step + 1, steps);
  }
}
