import type { KernelEnv } from '../workers/pool.js';

/** Byte offsets and sizes of the sparse inputs and the dense output of gramRowsKernel. */
export interface GramRowsArgs {
  /** Dense output, `rows` x ld row-major, float32 or float64; only the lower triangle of rows [itemStart, itemEnd) is written. */
  s: number;
  precision: 'f32' | 'f64';
  rows: number;
  ld: number;
  /** users x items CSR (int32 indptr/indices, float32 values), columns sorted within each row. */
  rowIndptr: number;
  rowIndices: number;
  rowValues: number;
  users: number;
  /** The same matrix transposed (items x users). */
  colIndptr: number;
  colIndices: number;
  colValues: number;
  items: number;
  nnz: number;
  itemStart: number;
  itemEnd: number;
  /** Added to the diagonal of real items (rows < items); padding rows (>= items) get a 1 on the diagonal. */
  diagonal: number;
  /** The diagonal of real items is multiplied by this before `diagonal` is added (EDLAE dropout; 1 = plain). */
  diagonalScale?: number;
}

/**
 * Worker kernel (self-contained): rows [itemStart, itemEnd) of the lower triangle of XᵀX (its diagonal scaled by
 * diagonalScale) + diagonal·I, straight
 * from the sparse matrix: for each user of item i, add x_ui·x_uj for the user's items j <= i. Rows are disjoint
 * between workers, so no synchronisation is needed.
 *
 * @example await pool.all('gram', (w) => ({ ...buffers, itemStart: ranges[w], itemEnd: ranges[w + 1], diagonal: lambda }))
 */
export function gramRowsKernel(env: KernelEnv, a: GramRowsArgs): void {
  const buf = env.memory.buffer;
  const s = a.precision === 'f32' ? new Float32Array(buf, a.s, a.rows * a.ld) : new Float64Array(buf, a.s, a.rows * a.ld);
  const rowIndptr = new Int32Array(buf, a.rowIndptr, a.users + 1);
  const rowIndices = new Int32Array(buf, a.rowIndices, a.nnz);
  const rowValues = new Float32Array(buf, a.rowValues, a.nnz);
  const colIndptr = new Int32Array(buf, a.colIndptr, a.items + 1);
  const colIndices = new Int32Array(buf, a.colIndices, a.nnz);
  const colValues = new Float32Array(buf, a.colValues, a.nnz);
  for (let i = a.itemStart; i < a.itemEnd; i++) {
    const row = i * a.ld;
    if (i >= a.items) {
      s[row + i] = 1;
      continue;
    }
    for (let q = colIndptr[i]; q < colIndptr[i + 1]; q++) {
      const u = colIndices[q];
      const xi = colValues[q];
      for (let p = rowIndptr[u]; p < rowIndptr[u + 1]; p++) {
        const j = rowIndices[p];
        if (j > i) break;
        s[row + j] += xi * rowValues[p];
      }
    }
    s[row + i] = s[row + i] * (a.diagonalScale ?? 1) + a.diagonal;
  }
}
