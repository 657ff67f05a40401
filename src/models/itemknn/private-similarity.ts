import type { CsrMatrix } from '../../core/sparse.js';
import { dpBudget, dpMeta, dpSeed, type DpParams } from '../dp/dp-params.js';
import { noiseScale } from '../dp/mechanisms.js';
import { boundContributions, countSensitivity, pairSensitivity, privateCosineSimilarity, privateItemCounts } from '../dp/private-stats.js';
import type { FitControl } from '../fit-control.js';

export interface PrivateSimilarityParams extends DpParams {
  neighbors: number;
  shrink: number;
  /** Share of ε (and δ) spent on the item counts (the cosine norms); the rest goes to the pair counts. */
  dpCountShare: number;
  /** Noisy pair counts at or below this many noise scales are dropped (post-processing). */
  dpPairThreshold: number;
}

/**
 * Item-kNN's similarity matrix as an (ε, δ)-DP release (ε-DP with Laplace) at the level of a user's whole history:
 * bound each user to k items, release noisy item counts with ε·share and noisy pair counts (all pairs) with
 * ε·(1 − share), then build cosine similarities from them (post-processing). By basic composition the two releases
 * together are (ε, δ)-DP. Returns the similarity and the metadata the artifact records.
 *
 * @example const { similarity, privacy } = await privateItemSimilarity(data.matrix, params, ctx.seed, control);
 */
export async function privateItemSimilarity(
  userItems: CsrMatrix,
  p: PrivateSimilarityParams,
  seed: number | undefined,
  control: FitControl,
): Promise<{ similarity: CsrMatrix; privacy: Record<string, unknown> }> {
  const k = p.dpMaxItemsPerUser;
  const s = dpSeed(seed);
  const countBudget = dpBudget(p, p.dpCountShare);
  const pairBudget = dpBudget(p, 1 - p.dpCountShare);
  const bounded = boundContributions(userItems, k, s);
  const counts = privateItemCounts(bounded, k, countBudget, s);
  const similarity = await privateCosineSimilarity(bounded, counts, { k, budget: pairBudget, seed: s, neighbors: p.neighbors, shrink: p.shrink, pairThreshold: p.dpPairThreshold }, control);
  const part = (b: typeof countBudget, sens: { l1: number; l2: number }) => ({ epsilon: b.epsilon, delta: b.delta, ...sens, noiseScale: noiseScale(b, sens) });
  return { similarity, privacy: dpMeta(p, { itemCounts: part(countBudget, countSensitivity(k)), pairCounts: part(pairBudget, pairSensitivity(k)) }) };
}
