/** Compressed sparse row matrix over typed arrays; the shared currency of every collaborative model. */
export class CsrMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly data: Float32Array,
  ) {}

  get nnz(): number {
    return this.indices.length;
  }

  /** Builds a matrix from (row, col, value) triplets; duplicate cells are summed, columns sorted within each row. */
  static fromTriplets(rows: number, cols: number, r: ArrayLike<number>, c: ArrayLike<number>, v: ArrayLike<number>): CsrMatrix {
    const n = r.length;
    const counts = new Int32Array(rows + 1);
    for (let k = 0; k < n; k++) counts[r[k] + 1]++;
    for (let i = 0; i < rows; i++) counts[i + 1] += counts[i];
    const pos = counts.slice(0, rows);
    const ci = new Int32Array(n);
    const cv = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const p = pos[r[k]]++;
      ci[p] = c[k];
      cv[p] = v[k];
    }
    // sort each row by column and merge duplicates
    const indptr = new Int32Array(rows + 1);
    const outI: number[] = [];
    const outV: number[] = [];
    for (let i = 0; i < rows; i++) {
      const start = counts[i];
      const end = counts[i + 1];
      const order = Array.from({ length: end - start }, (_, j) => start + j).sort((a, b) => ci[a] - ci[b]);
      let last = -1;
      for (const p of order) {
        if (ci[p] === last) outV[outV.length - 1] += cv[p];
        else {
          outI.push(ci[p]);
          outV.push(cv[p]);
          last = ci[p];
        }
      }
      indptr[i + 1] = outI.length;
    }
    return new CsrMatrix(rows, cols, indptr, Int32Array.from(outI), Float32Array.from(outV));
  }

  rowIndices(i: number): Int32Array {
    return this.indices.subarray(this.indptr[i], this.indptr[i + 1]);
  }

  rowData(i: number): Float32Array {
    return this.data.subarray(this.indptr[i], this.indptr[i + 1]);
  }

  rowLength(i: number): number {
    return this.indptr[i + 1] - this.indptr[i];
  }

  transpose(): CsrMatrix {
    const counts = new Int32Array(this.cols + 1);
    for (let k = 0; k < this.nnz; k++) counts[this.indices[k] + 1]++;
    for (let j = 0; j < this.cols; j++) counts[j + 1] += counts[j];
    const pos = counts.slice(0, this.cols);
    const indices = new Int32Array(this.nnz);
    const data = new Float32Array(this.nnz);
    for (let i = 0; i < this.rows; i++) {
      for (let p = this.indptr[i]; p < this.indptr[i + 1]; p++) {
        const q = pos[this.indices[p]]++;
        indices[q] = i;
        data[q] = this.data[p];
      }
    }
    return new CsrMatrix(this.cols, this.rows, counts, indices, data);
  }

  /** Returns a copy with every value passed through `fn` (structure shared semantics are avoided on purpose). */
  mapValues(fn: (value: number, row: number, col: number) => number): CsrMatrix {
    const data = new Float32Array(this.nnz);
    for (let i = 0; i < this.rows; i++) {
      for (let p = this.indptr[i]; p < this.indptr[i + 1]; p++) data[p] = fn(this.data[p], i, this.indices[p]);
    }
    return new CsrMatrix(this.rows, this.cols, this.indptr, this.indices, data);
  }
}

/** One user's history as parallel arrays of item indexes and weights (used for fold-in and new users). */
export interface SparseRow {
  indices: Int32Array;
  values: Float32Array;
}

/** A history with no items (anonymous or brand-new users). */
export function emptyRow(): SparseRow {
  return { indices: new Int32Array(0), values: new Float32Array(0) };
}
