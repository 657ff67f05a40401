import { CsrMatrix } from '../core/sparse.js';

/**
 * Appends rows of (index, score) entries into growable typed arrays, for kernels that produce a sparse matrix one
 * row at a time (e.g. top-k neighbours per item).
 *
 * @example const b = new CsrBuilder(n); for (...) b.pushRow(entries); const m = b.build(n);
 */
export class CsrBuilder {
  private indices = new Int32Array(1024);
  private data = new Float32Array(1024);
  private readonly indptr: Int32Array;
  private nnz = 0;
  private row = 0;

  constructor(rows: number) {
    this.indptr = new Int32Array(rows + 1);
  }

  /** Appends the next row; entries should already be in the order wanted (usually by column). */
  pushRow(entries: ReadonlyArray<{ index: number; score: number }>): void {
    if (this.row + 1 >= this.indptr.length) throw new RangeError(`CsrBuilder: more than ${this.indptr.length - 1} rows`);
    if (this.nnz + entries.length > this.indices.length) {
      const size = Math.max(this.indices.length * 2, this.nnz + entries.length);
      const indices = new Int32Array(size);
      const data = new Float32Array(size);
      indices.set(this.indices.subarray(0, this.nnz));
      data.set(this.data.subarray(0, this.nnz));
      this.indices = indices;
      this.data = data;
    }
    for (const e of entries) {
      this.indices[this.nnz] = e.index;
      this.data[this.nnz++] = e.score;
    }
    this.indptr[++this.row] = this.nnz;
  }

  /** The matrix so far; rows not pushed stay empty. */
  build(cols: number): CsrMatrix {
    for (let r = this.row + 1; r < this.indptr.length; r++) this.indptr[r] = this.nnz;
    return new CsrMatrix(this.indptr.length - 1, cols, this.indptr, this.indices.slice(0, this.nnz), this.data.slice(0, this.nnz));
  }
}
