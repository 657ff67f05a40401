import type { CsrMatrix } from '../../core/sparse.js';
import { dpBudget, dpMeta, dpSeed, type DpParams } from '../dp/dp-params.js';
import { PrivateGram, type DpBounding } from '../dp/private-gram.js';
import { CsrBuilder } from '../csr-builder.js';
import type { FitControl } from '../fit-control.js';
import { topK } from '../topk.js';

export interface PrivateSimilarityParams extends DpParams {
  neighbors: number;
  shrink: number;
  /** How a user's contribution is bounded: sample k items, or scale heavy histories down (private-gram.ts). */
  dpBounding: DpBounding;
  /** Noisy pair counts at or below this many noise scales are dropped (post-processing). */
  dpPairThreshold: number;
}

/**
 * Item-kNN's similarity matrix as an (ε, δ)-DP release (ε-DP with Laplace) at the level of a user's whole history:
 * one noisy Gram matrix (item counts on the diagonal, pair counts off it, each user's contribution bounded; see
 * private-gram.ts) with all of ε, then cosine similarities from it. Everything after the noise is post-processing.
 * Returns the similarity, the released item counts (the diagonal) and the metadata the artifact records.
 *
 * @example const { similarity, privacy } = await privateItemSimilarity(data.matrix, params, ctx.seed, control);
 */
export async function privateItemSimilarity(
  userItems: CsrMatrix,
  p: PrivateSimilarityParams,
  seed: number | undefined,
  control: FitControl,
): Promise<{ similarity: CsrMatrix; itemCounts: Float64Array; privacy: Record<string, unknown> }> {
  const budget = dpBudget(p, 1);
  const gram = PrivateGram.release(userItems, { k: p.dpMaxItemsPerUser, bounding: p.dpBounding, budget, seed: dpSeed(seed) });
  const similarity = await cosineFromGram(gram, p, control);
  const gramPart = { epsilon: budget.epsilon, delta: budget.delta, ...gram.sensitivity, noiseScale: gram.scale };
  return { similarity, itemCounts: gram.diagonal, privacy: { ...dpMeta(p, { gram: gramPart }), bounding: p.dpBounding } };
}

/**
 * sim(i, j) = min(G̃ij, ĉi, ĉj) / √(ĉi ĉj) with ĉ = max(G̃ii, 1): with no noise and no bounding, exactly the cosine of
 * binary item columns. A pair cannot co-occur more often than either item occurs, so the clamp keeps similarities in
 * cosine's range and noisy rare items from scoring everywhere. Pairs with G̃ij ≤ dpPairThreshold × noise scale are
 * dropped, otherwise the noise on the n² mostly-empty pairs fills every neighbour list. Rows are pruned to the top
 * `neighbors` positive values and sorted by column, as pairwiseSimilarity returns them.
 */
async function cosineFromGram(gram: PrivateGram, p: PrivateSimilarityParams, control: FitControl): Promise<CsrMatrix> {
  const n = gram.n;
  const counts = Float64Array.from(gram.diagonal, (c) => Math.max(c, 1));
  const norms = counts.map(Math.sqrt);
  const floor = p.dpPairThreshold * gram.scale;
  const row = new Float64Array(n);
  const out = new CsrBuilder(n);
  for (let i = 0; i < n; i++) {
    gram.row(i, row);
    for (let j = 0; j < n; j++) {
      const c = Math.min(row[j], counts[i], counts[j]);
      if (j === i || c <= floor || c <= 0) {
        row[j] = 0;
        continue;
      }
      let s = c / (norms[i] * norms[j]);
      if (p.shrink > 0) s *= c / (c + p.shrink);
      row[j] = s;
    }
    const best = topK(row, p.neighbors, { above: 0 });
    best.sort((x, y) => x.index - y.index);
    out.pushRow(best);
    await control.step(i + 1);
  }
  return out.build(n);
}
