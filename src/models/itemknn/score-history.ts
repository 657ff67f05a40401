import type { SparseRow } from '../../core/sparse.js';

/** The kept neighbour pairs item-kNN scores with: row i lists the items history item i adds score to. */
export interface NeighbourRows {
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
}

/**
 * Item-kNN scores of one history: score(j) = Σ_i w_i sim(i, j) over the kept pairs, divided by Σ_i sim(i, j) when
 * `normalize`. Pure and dependency-free: the model and the on-device client (`kindred/on-device`) share it, so both
 * compute the same floats.
 *
 * @example itemKnnScores(similarity, { indices: Int32Array.of(0), values: Float32Array.of(1) }, false)
 */
export function itemKnnScores(scoring: NeighbourRows, row: SparseRow, normalize: boolean): Float32Array {
  const scores = new Float32Array(scoring.rows);
  const simSums = normalize ? new Float32Array(scoring.rows) : undefined;
  for (let p = 0; p < row.indices.length; p++) {
    const i = row.indices[p];
    const w = row.values[p];
    for (let q = scoring.indptr[i]; q < scoring.indptr[i + 1]; q++) {
      const j = scoring.indices[q];
      scores[j] += w * scoring.data[q];
      if (simSums) simSums[j] += scoring.data[q];
    }
  }
  if (simSums) for (let j = 0; j < scores.length; j++) if (simSums[j] > 0) scores[j] /= simSums[j];
  return scores;
}
