import type { Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import type { Stage } from '../pipeline/stage.js';
import { cappedPositions } from './category-cap.js';
import { diversityStrength } from './care-strength.js';
import { dppOrder } from './dpp.js';
import { mmrOrder, positionalRelevance } from './mmr.js';
import { reorder } from './reorder.js';
import { categoryMix, type CategoryMix } from './calibration.js';
import { userCategoryMix } from './calibration-stage.js';
import { pm2Order } from './pm2.js';
import { categoriesOf, poolSimilarity } from './similarity.js';

/**
 * The category shares PM-2 makes the list proportional to: the user's own mix from their history, or for a user
 * without one (or without categorised items) the pool's mix weighted by relevance.
 */
async function pm2Target(pool: Candidate[], relevance: Float64Array, ctx: RecommendContext): Promise<CategoryMix> {
  const own = ctx.row.indices.length > 0 ? await userCategoryMix(ctx) : new Map<string, number>();
  return own.size > 0 ? own : categoryMix(pool.map(categoriesOf), relevance);
}

/** How many candidates beyond the shown list diversity may draw from, as a multiple of the list length. */
const POOL_FACTOR = 3;

/**
 * Varies the shown list (issue 10): picks the first `count` items by MMR, fast greedy DPP or PM-2 proportionality over
 * categories (config care.diversityMethod) with the request's strength (care.diversity, or the request's own), trading the fused order
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
      const { sim } = ctx.config.care.diversityMethod === 'pm2' ? { sim: new Float64Array() } : poolSimilarity(pool, ctx);
      const relevance = positionalRelevance(pool.length);
      const method = ctx.config.care.diversityMethod;
      const picked = method === 'pm2'
        ? pm2Order(pool.map(categoriesOf), relevance, await pm2Target(pool, relevance, ctx), ctx.count, strength)
        : (method === 'dpp' ? dppOrder : mmrOrder)(sim, relevance, ctx.count, strength);
      list = [...reorder(pool, picked).map((c, p) => (p < picked.length && picked[p] > p ? { ...c, variety: true } : c)), ...list.slice(pool.length)];
    }
    const cap = ctx.config.care.categoryCap;
    if (cap > 0) list = cappedPositions(list.map(categoriesOf), cap).map((p) => list[p]);
    return list;
  },
};
