import type { CsrMatrix } from '../../core/sparse.js';
import { CsrBuilder } from '../csr-builder.js';
import type { FitControl } from '../fit-control.js';
import { topK } from '../topk.js';

export interface SimilarityOptions {
  /** Neighbours kept per row (the largest similarities). */
  neighbors: number;
  /** Shrinkage: similarity * n / (n + shrink), n = number of columns (users) the two rows share. */
  shrink: number;
  /** Compute only the rows marked 1 (the others are left empty): exact unlearning recomputes the rows a user touched. */
  only?: Uint8Array;
}

/**
 * Row-row dot products of a sparse matrix, computed sparsely (for each row, accumulate over the columns it shares
 * with other rows), pruned to the top `neighbors` per row, self excluded, only positive values. Rows of the result
 * are sorted by column so single entries can be found by binary search. Cost: sum over columns of degree².
 *
 * @example const sim = await pairwiseSimilarity(weightedItemUsers(m, p), { neighbors: 100, shrink: 0 }, control);
 */
export async function pairwiseSimilarity(rows: CsrMatrix, opts: SimilarityOptions, control: FitControl): Promise<CsrMatrix> {
  const n = rows.rows;
  const cols = rows.transpose();
  const acc = new Float64Array(n);
  const support = opts.shrink > 0 ? new Int32Array(n) : undefined;
  const touched = new Int32Array(n);
  const isTouched = new Uint8Array(n);
  const out = new CsrBuilder(n);
  for (let i = 0; i < n; i++) {
    if (opts.only && opts.only[i] !== 1) {
      out.pushRow([]);
      continue;
    }
    let nTouched = 0;
    for (let p = rows.indptr[i]; p < rows.indptr[i + 1]; p++) {
      const c = rows.indices[p];
      const w = rows.data[p];
      for (let q = cols.indptr[c]; q < cols.indptr[c + 1]; q++) {
        const j = cols.indices[q];
        if (j === i) continue;
        if (isTouched[j] === 0) {
          isTouched[j] = 1;
          touched[nTouched++] = j;
        }
        acc[j] += w * cols.data[q];
        if (support) support[j]++;
      }
    }
    if (support) {
      for (let t = 0; t < nTouched; t++) {
        const j = touched[t];
        acc[j] *= support[j] / (support[j] + opts.shrink);
      }
    }
    const best = opts.neighbors >= n ? positives(acc, touched.subarray(0, nTouched)) : topK(acc, opts.neighbors, { candidates: touched.subarray(0, nTouched), distinctCandidates: true, above: 0 });
    best.sort((a, b) => a.index - b.index);
    out.pushRow(best);
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      acc[j] = 0;
      isTouched[j] = 0;
      if (support) support[j] = 0;
    }
    await control.step(i + 1);
  }
  return out.build(n);
}

/** Every candidate with a positive value (what topK keeps when `neighbors` covers every row), unsorted. */
function positives(acc: Float64Array, candidates: Int32Array): Array<{ index: number; score: number }> {
  const out: Array<{ index: number; score: number }> = [];
  for (const j of candidates) if (acc[j] > 0) out.push({ index: j, score: acc[j] });
  return out;
}

/**
 * Value at (row, col) of a matrix whose rows are sorted by column, or 0.
 *
 * @example entryAt(sim, 50, 172) // similarity of items 50 and 172
 */
export function entryAt(m: CsrMatrix, row: number, col: number): number {
  let lo = m.indptr[row];
  let hi = m.indptr[row + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.indices[mid];
    if (c === col) return m.data[mid];
    if (c < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}
