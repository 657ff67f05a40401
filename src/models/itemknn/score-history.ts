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
 * `normalize`, in reusable scratch arrays: only the items the history reaches are written and cleared again, so a
 * request costs the kept pairs of its history instead of three catalogue-long arrays (at 100k items those passes were
 * most of the channel's time). Scoring is synchronous, so one scratch serves every request in turn. Pure and
 * dependency-free: the model and the on-device client (`kindred/on-device`) share it, so both compute the same floats.
 *
 * @example scratch.withScores(row, (scores, reached) => topK(scores, 10, { candidates: reached, distinctCandidates: true }))
 */
export class ReachedScores {
  private readonly scores: Float32Array;
  private readonly simSums: Float32Array | undefined;
  private readonly isReached: Uint8Array;

  constructor(private readonly scoring: NeighbourRows, private readonly normalize: boolean) {
    this.scores = new Float32Array(scoring.rows);
    this.simSums = normalize ? new Float32Array(scoring.rows) : undefined;
    this.isReached = new Uint8Array(scoring.rows);
  }

  /**
   * Calls `use` with the history's scores over every item (0 where it reaches none) and the items it reaches (each
   * once, in the order first reached); both are only valid during the call.
   */
  withScores<T>(row: SparseRow, use: (scores: Float32Array, reached: Int32Array) => T): T {
    const { scoring, scores, simSums, isReached } = this;
    const reached: number[] = [];
    try {
      for (let p = 0; p < row.indices.length; p++) {
        const i = row.indices[p];
        const w = row.values[p];
        for (let q = scoring.indptr[i]; q < scoring.indptr[i + 1]; q++) {
          const j = scoring.indices[q];
          if (isReached[j] === 0) {
            isReached[j] = 1;
            reached.push(j);
          }
          scores[j] += w * scoring.data[q];
          if (simSums) simSums[j] += scoring.data[q];
        }
      }
      if (simSums) for (const j of reached) if (simSums[j] > 0) scores[j] /= simSums[j];
      return use(scores, Int32Array.from(reached));
    } finally {
      for (const j of reached) {
        scores[j] = 0;
        isReached[j] = 0;
        if (simSums) simSums[j] = 0;
      }
    }
  }
}
