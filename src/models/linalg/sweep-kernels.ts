import type { KernelEnv } from '../workers/pool.js';
import type { KernelExports } from './wasm/kernels.js';

/**
 * Worker kernels of the blocked symmetric sweep (in-place Gauss-Jordan inversion of an SPD matrix, see
 * spd-inverse.ts), in float32 or float64. They run inside worker threads from their source text, so each is
 * self-contained: no imports (types only) and no module-level helpers.
 *
 * Storage: S is n x n row-major with row stride ld >= n + 8; only its lower triangle (i >= j) is meaningful. Block K
 * is [k0, k0 + nb). The GEMM micro-kernel is 4 rows by w columns (w = 4 doubles or 8 floats), so:
 * - Qb holds the K column panel Q = S[:, K] packed in groups of w rows ([n/w][nb][w]): the B operand;
 * - Wa holds W' = Q V packed in strips of four rows ([n/4][nb][4]): the A operand;
 * - Va holds V = -(S_KK)⁻¹ in strips of four rows ([nb/4][nb][4]).
 */
export interface SweepArgs {
  precision: 'f32' | 'f64';
  s: number;
  n: number;
  ld: number;
  qb: number;
  wa: number;
  va: number;
  nb: number;
  k0: number;
}

export interface SweepPanelArgs extends SweepArgs {
  /** Row groups [groupStart, groupEnd) of w rows each. */
  groupStart: number;
  groupEnd: number;
  /** This worker's scratch of nb x 8 elements. */
  tmp: number;
}

/**
 * Phase 1: packs row groups of the K panel into Qb and computes their W' rows into Wa.
 *
 * @example await pool.all('sweepPanel', (w) => ({ ...common, groupStart: groups[w], groupEnd: groups[w + 1], tmp }))
 */
export function sweepPanelKernel(env: KernelEnv, a: SweepPanelArgs): void {
  const wasm = env.wasm as unknown as KernelExports;
  const f32 = a.precision === 'f32';
  const bytes = f32 ? 4 : 8;
  const w = f32 ? 8 : 4;
  const gemm = f32 ? wasm.gemmAccF32 : wasm.gemmAccF64;
  const buf = env.memory.buffer;
  const view = (ptr: number, length: number): Float32Array | Float64Array =>
    f32 ? new Float32Array(buf, ptr, length) : new Float64Array(buf, ptr, length);
  const nb = a.nb;
  const s = view(a.s, a.n * a.ld);
  const qb = view(a.qb, a.n * nb);
  const wa = view(a.wa, a.n * nb);
  const tmp = view(a.tmp, nb * 8);
  for (let g = a.groupStart; g < a.groupEnd; g++) {
    const base = g * nb * w;
    for (let c = 0; c < w; c++) {
      const i = g * w + c;
      // S is symmetric with only the lower triangle stored: read (i, k0 + t) from whichever side is lower
      const split = Math.min(nb, Math.max(0, i - a.k0 + 1));
      for (let t = 0; t < split; t++) qb[base + t * w + c] = s[i * a.ld + a.k0 + t];
      for (let t = split; t < nb; t++) qb[base + t * w + c] = s[(a.k0 + t) * a.ld + i];
    }
    // (W' rows of this group)ᵀ = V · Q_groupᵀ, an nb x w row-major block: [t][c] = W'[g·w + c][t]
    tmp.fill(0);
    gemm(a.tmp, w, a.va, a.qb + base * bytes, nb, w, nb);
    for (let c = 0; c < w; c++) {
      const i = g * w + c;
      const strip = (i >> 2) * nb * 4 + (i & 3);
      for (let t = 0; t < nb; t++) wa[strip + t * 4] = tmp[t * w + c];
    }
  }
}

export interface SweepUpdateArgs extends SweepArgs {
  /** Rows [rowStart, rowEnd), multiples of 4. */
  rowStart: number;
  rowEnd: number;
  /** Columns per cache block of the Qb operand (a multiple of 8). */
  colBlock: number;
}

/**
 * Phase 2: S[i][j] += Σ_t W'[i][t] Q[j][t] over the lower triangle of rows [rowStart, rowEnd) (a rank-nb update in
 * tiles of four rows by up to colBlock columns, widths rounded up to the micro-kernel's w, which spills a few
 * meaningless values above the diagonal and into the row padding), then writes the swept K block: S_iK = -W'_i,
 * S_KK = V. Entries in K's rows and columns get meaningless values from the update and are overwritten right after.
 *
 * @example await pool.all('sweepUpdate', (w) => ({ ...common, rowStart: rows[w], rowEnd: rows[w + 1], colBlock: 256 }))
 */
export function sweepUpdateKernel(env: KernelEnv, a: SweepUpdateArgs): void {
  const wasm = env.wasm as unknown as KernelExports;
  const f32 = a.precision === 'f32';
  const bytes = f32 ? 4 : 8;
  const w = f32 ? 8 : 4;
  const gemm = f32 ? wasm.gemmAccF32 : wasm.gemmAccF64;
  const nb = a.nb;
  for (let j0 = 0; j0 < a.rowEnd; j0 += a.colBlock) {
    for (let i = Math.max(a.rowStart, j0); i < a.rowEnd; i += 4) {
      const width = Math.ceil(Math.min(a.colBlock, i + 4 - j0) / w) * w;
      gemm(a.s + (i * a.ld + j0) * bytes, a.ld, a.wa + i * nb * bytes, a.qb + j0 * nb * bytes, 4, width, nb);
    }
  }
  const buf = env.memory.buffer;
  const view = (ptr: number, length: number): Float32Array | Float64Array =>
    f32 ? new Float32Array(buf, ptr, length) : new Float64Array(buf, ptr, length);
  const s = view(a.s, a.n * a.ld);
  const wa = view(a.wa, a.n * nb);
  const va = view(a.va, nb * nb);
  const k1 = a.k0 + nb;
  // packed element (row, t) of a four-row-strip buffer with nb columns
  const at = (row: number, t: number): number => (row >> 2) * nb * 4 + t * 4 + (row & 3);
  for (let i = Math.max(a.rowStart, a.k0); i < a.rowEnd; i++) {
    const row = i * a.ld;
    if (i >= k1) {
      for (let t = 0; t < nb; t++) s[row + a.k0 + t] = -wa[at(i, t)];
      continue;
    }
    const ti = i - a.k0;
    for (let j = 0; j < a.k0; j++) s[row + j] = -wa[at(j, ti)];
    for (let t = 0; t <= ti; t++) s[row + a.k0 + t] = va[at(ti, t)];
  }
}
