import type { Candidate } from '../pipeline/candidates.js';
import { itemFactsFor } from '../pipeline/item-facts.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import type { Stage } from '../pipeline/stage.js';
import { calibratedOrder, categoryMix, type CategoryMix } from './calibration.js';
import { calibrationStrength } from './care-strength.js';
import { positionalRelevance } from './mmr.js';
import { reorder } from './reorder.js';
import { categoriesOf } from './similarity.js';

/** How many candidates beyond the shown list calibration may draw from, as a multiple of the list length. */
const POOL_FACTOR = 3;

/**
 * The user's category mix from their history row (each event's weight spread over the item's categories).
 *
 * @example const mix = await userCategoryMix(ctx)
 */
export async function userCategoryMix(ctx: RecommendContext): Promise<CategoryMix> {
  const facts = await itemFactsFor(ctx.bundle, ctx.store);
  const { indices, values } = ctx.row;
  const cats = Array.from(indices, (i) => {
    if (i >= facts.size) return [];
    const labels = Array.from(facts.labelIds.subarray(facts.labelStart[i], facts.labelStart[i + 1]), (l) => facts.labels[l]);
    const categories = labels.filter((l) => l.kind === 'category');
    return (categories.length > 0 ? categories : labels).map((l) => l.name);
  });
  return categoryMix(cats, values);
}

/**
 * Calibrated re-ranking (Steck, RecSys 2018): the shown list's category mix is brought close to the user's own
 * (their history), by greedy picks trading the fused order against KL(user's mix ‖ list's mix), smoothing α = 0.01,
 * trade-off λ = care.calibration (or the request's own). Runs for users with a history when λ > 0.
 *
 * @example const calibrated = await calibrationStage.run(fused, ctx)
 */
export const calibrationStage: Stage<Candidate[], Candidate[], RecommendContext> = {
  kind: 'rerank',
  name: 'calibration',
  applies: (ctx) => calibrationStrength(ctx) > 0 && ctx.row.indices.length > 0,
  async run(candidates, ctx) {
    const user = await userCategoryMix(ctx);
    if (user.size === 0 || candidates.length < 2) return candidates;
    const pool = candidates.slice(0, Math.max(ctx.count * POOL_FACTOR, ctx.count + 1));
    const picked = calibratedOrder(pool.map(categoriesOf), positionalRelevance(pool.length), user, ctx.count, calibrationStrength(ctx));
    return [...reorder(pool, picked), ...candidates.slice(pool.length)];
  },
};
