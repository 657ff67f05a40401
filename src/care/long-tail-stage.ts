import type { Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import type { Stage } from '../pipeline/stage.js';
import { noveltyStrength } from './care-strength.js';
import { maxPopularity, popularityOf } from './item-popularity.js';
import { discountedRelevance, longTailOrder, normalisedLogPopularity } from './long-tail.js';
import { reorder } from './reorder.js';

/**
 * Gives less-known items a fair share of the list (issue 10): the first care.noveltyDepth × count fused candidates
 * are re-scored as relevance − strength · normalised log popularity (relevance by fused position with the DCG
 * discount 1 / log2(position + 2), so the top of the fused list is held firmly and the lower places are open to
 * less-known items; popularity from the bundle's popular model; long-tail.ts) and sorted again; the rest keep their order. It looks
 * deeper than the other care stages (3 × count) because catalogue coverage only moves when items from beyond the
 * head fusion ranked first reach the list. An item it brought into the shown head from below it is marked `lessKnown`.
 * Runs when the strength (care.novelty, the request's own, grown with the history: care-strength.ts) is above 0.
 *
 * @example const fairer = await longTailStage.run(fused, ctx)
 */
export const longTailStage: Stage<Candidate[], Candidate[], RecommendContext> = {
  kind: 'rerank',
  name: 'long-tail',
  applies: (ctx) => noveltyStrength(ctx) > 0,
  async run(candidates, ctx) {
    if (candidates.length < 2) return candidates;
    const pool = candidates.slice(0, Math.max(ctx.count * ctx.config.care.noveltyDepth, ctx.count + 1));
    const indexes = Int32Array.from(pool, (c) => ctx.bundle.items.indexOf(c.itemId) ?? -1);
    const penalty = normalisedLogPopularity(popularityOf(ctx.bundle, indexes), maxPopularity(ctx.bundle));
    const order = longTailOrder(discountedRelevance(pool.length), penalty, noveltyStrength(ctx));
    const moved = reorder(pool, order).map((c, p) => (p < ctx.count && order[p] >= ctx.count ? { ...c, lessKnown: true } : c));
    return [...moved, ...candidates.slice(pool.length)];
  },
};
