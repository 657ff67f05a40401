import type { Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import type { Stage } from '../pipeline/stage.js';
import { cappedPositions } from './category-cap.js';
import { diversityStrength } from './care-strength.js';
import { dppOrder } from './dpp.js';
import { mmrOrder, positionalRelevance } from './mmr.js';
import { reorder } from './reorder.js';
import { categoriesOf, poolSimilarity } from './similarity.js';

/** How many candidates beyond the shown list diversity may draw from, as a multiple of the list length. */
const POOL_FACTOR = 3;

/**
 * Varies the shown list (issue 10): picks the first `count` items by MMR or fast greedy DPP (config
 * care.diversityMethod) with the request's strength (care.diversity, or the request's own), trading the fused order
 * against similarity to the items picked before; similarity is over item vectors when the bundle has them, else
 * Jaccard over categories (similarity.ts). Then, when care.categoryCap is set, drops items that would put more than
 * that many of one category in the list. Items moved up past others are marked `variety` (the reasons say "chosen
 * for variety"). Runs when the strength or the cap is set.
 *
 * @example const varied = await diversityStage.run(fused, ctx)
 */
export const diversityStage: Stage<Candidate[], Candidate[], RecommendContext> = {
  kind: 'rerank',
  name: 'diversity',
  applies: (ctx) => diversityStrength(ctx) > 0 || ctx.config.care.categoryCap > 0,
  async run(candidates, ctx) {
    const strength = diversityStrength(ctx);
    let list = candidates;
    if (strength > 0 && list.length > 1) {
      const pool = list.slice(0, Math.max(ctx.count * POOL_FACTOR, ctx.count + 1));
      const { sim } = poolSimilarity(pool, ctx);
      const relevance = positionalRelevance(pool.length);
      const pick = ctx.config.care.diversityMethod === 'dpp' ? dppOrder : mmrOrder;
      const picked = pick(sim, relevance, ctx.count, strength);
      list = [...reorder(pool, picked).map((c, p) => (p < picked.length && picked[p] > p ? { ...c, variety: true } : c)), ...list.slice(pool.length)];
    }
    const cap = ctx.config.care.categoryCap;
    if (cap > 0) list = cappedPositions(list.map(categoriesOf), cap).map((p) => list[p]);
    return list;
  },
};
