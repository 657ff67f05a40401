import type { CsrMatrix } from '../core/sparse.js';
import type { BlockScorer } from './model.js';

export interface CsrItemItemOptions {
  /** Training rows: row u is trained user u's history (item indexes and weights). */
  userItems: CsrMatrix;
  /** Item × item weights: row i lists the items history item i adds score to, and how much. */
  weights: CsrMatrix;
  /** Every history item counts 1 instead of its weight (EASE-family models trained on binary data). */
  binary?: boolean;
  /** Divide each item's score by the summed weights that reached it (item-kNN's `normalize`). */
  normalize?: boolean;
  /** recommend()'s evidence floor in recall mode (default 0: only items some history item reached). */
  above?: number;
}

/**
 * The block scorer of any model whose scores are history · W for a sparse item × item matrix W (item-kNN's kept
 * neighbour pairs, a sparse EASE-family model): sparse X_block × sparse W, row by row, accumulating in float32 in the
 * history's order then W's row order, the order ReachedScores uses, so a row equals the per-user scores bit for bit.
 *
 * @example const scorer = csrItemItemScorer({ userItems, weights: scoring, normalize: false }); scorer.scoreBlock(users, out);
 */
export function csrItemItemScorer(opts: CsrItemItemOptions): BlockScorer {
  const { userItems, weights } = opts;
  const items = weights.cols;
  // per-thread scratch for normalisation, reused across rows
  const sums = opts.normalize ? new Float32Array(items) : undefined;
  return {
    items,
    above: opts.above ?? 0,
    scoreBlock(users: Int32Array, out: Float32Array): void {
      const { indptr, indices, data } = weights;
      const { indptr: rowStart, indices: rowItems, data: rowWeights } = userItems;
      const binary = opts.binary === true;
      const nRows = weights.rows;
      for (let r = 0; r < users.length; r++) {
        const base = r * items;
        out.fill(0, base, base + items);
        sums?.fill(0);
        const u = users[r];
        const end = rowStart[u + 1];
        for (let p = rowStart[u]; p < end; p++) {
          const i = rowItems[p];
          if (i >= nRows) continue;
          const w = binary ? 1 : rowWeights[p];
          const qEnd = indptr[i + 1];
          if (sums) {
            for (let q = indptr[i]; q < qEnd; q++) {
              out[base + indices[q]] += w * data[q];
              sums[indices[q]] += data[q];
            }
          } else {
            for (let q = indptr[i]; q < qEnd; q++) out[base + indices[q]] += w * data[q];
          }
        }
        if (sums) for (let j = 0; j < items; j++) if (sums[j] > 0) out[base + j] /= sums[j];
      }
    },
  };
}
