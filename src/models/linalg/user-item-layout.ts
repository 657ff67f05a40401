import type { CsrMatrix } from '../../core/sparse.js';
import type { SharedBlock } from './arena.js';

/**
 * The shared-memory blocks of a user × item matrix held both ways, rows (users) and columns (items), as the Gram
 * kernels read it (gramRowsKernel, sparse EASE's prunedGramKernel): spread it into a sharedLayout spec.
 *
 * @example sharedLayout({ ...userItemLayout(rows, items), out: ['f32', n] })
 */
export function userItemLayout(rows: CsrMatrix, items: number) {
  return {
    rowIndptr: ['i32', rows.rows + 1], rowIndices: ['i32', rows.nnz], rowValues: ['f32', rows.nnz],
    colIndptr: ['i32', items + 1], colIndices: ['i32', rows.nnz], colValues: ['f32', rows.nnz],
  } as const;
}

interface UserItemBlocks {
  rowIndptr: SharedBlock<Int32Array>; rowIndices: SharedBlock<Int32Array>; rowValues: SharedBlock<Float32Array>;
  colIndptr: SharedBlock<Int32Array>; colIndices: SharedBlock<Int32Array>; colValues: SharedBlock<Float32Array>;
}

/**
 * Copies the matrix (`rows`) and its transpose (`cols`) into the blocks laid out by userItemLayout.
 *
 * @example copyUserItems(blocks, rows, rows.transpose())
 */
export function copyUserItems(blocks: UserItemBlocks, rows: CsrMatrix, cols: CsrMatrix): void {
  blocks.rowIndptr.view.set(rows.indptr);
  blocks.rowIndices.view.set(rows.indices);
  blocks.rowValues.view.set(rows.data);
  blocks.colIndptr.view.set(cols.indptr);
  blocks.colIndices.view.set(cols.indices);
  blocks.colValues.view.set(cols.data);
}
