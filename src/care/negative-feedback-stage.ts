import type { Item, ItemId } from '../core/types.js';
import { loadItemMap, type Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import type { Stage } from '../pipeline/stage.js';
import { fadedOrder } from './fatigue.js';
import { positionalRelevance } from './mmr.js';
import { labelDemotion, negativeSettings, negativeSignals, showLessDemotion, type NegativeSettings } from './negative-feedback.js';
import { poolSimilarity } from './similarity.js';

/** How many candidates beyond the shown list the demotion reorders, as a multiple of the list length (as fatigue). */
const POOL_FACTOR = 3;

/**
 * Per pool candidate, its show-less factor: similarity (poolSimilarity over the pool and the show-less items, so the
 * same space the diversity stage uses) times each show-less item's strength, combined by showLessDemotion.
 */
function showLessFactors(pool: readonly Candidate[], lessLike: ReadonlyMap<ItemId, number>, records: ReadonlyMap<ItemId, Item>, ctx: RecommendContext, s: NegativeSettings): number[] {
  const said = [...lessLike].filter(([id]) => records.has(id));
  if (said.length === 0 || s.showLessFade <= 0) return pool.map(() => 1);
  const probes: Candidate[] = said.map(([itemId]) => ({ itemId, item: records.get(itemId), scores: {}, via: 'feedback', score: 0 }));
  const { sim, n } = poolSimilarity([...pool, ...probes], ctx);
  const strengths = said.map(([, strength]) => strength);
  return pool.map((_, i) => showLessDemotion(said.map((__, x) => sim[i * n + pool.length + x]), strengths, s));
}

/**
 * Negative feedback (issue 10): items the user turned down (not_interested, dislike, show_less) are already blocked by
 * the request context; this stage demotes what is related to them. A category or tag carried by care.negativeRepeat
 * or more turned-down items fades (relevance by fused position × (1 − care.negativeFade) per negative from the
 * threshold on), and candidates similar to a show-less item fade by similarity × strength (care.showLessFade); the
 * first 3 × count candidates are sorted again, nothing is removed. Runs only for users with negative feedback in their
 * history window: without it, it is neither run nor traced. Demoted items carry no reason of their own.
 *
 * @example const demoted = await negativeFeedbackStage.run(fused, ctx)
 */
export const negativeFeedbackStage: Stage<Candidate[], Candidate[], RecommendContext> = {
  kind: 'rerank',
  name: 'negative-feedback',
  applies: (ctx) => (ctx.profile?.negatives.size ?? 0) > 0 || (ctx.profile?.lessLike.size ?? 0) > 0,
  async run(candidates, ctx) {
    const profile = ctx.profile;
    if (!profile || candidates.length === 0) return candidates;
    const s = negativeSettings(ctx.config);
    const records = await loadItemMap(ctx.store, [...profile.negatives, ...profile.lessLike.keys()]);
    const { demoted, lessLike } = negativeSignals(profile, records, s);
    const poolSize = Math.min(candidates.length, Math.max(ctx.count * POOL_FACTOR, ctx.count + 1));
    const pool = candidates.slice(0, poolSize);
    const nearLess = showLessFactors(pool, lessLike, records, ctx, s);
    const factors = pool.map((c, i) => labelDemotion(c.item, demoted) * nearLess[i]);
    if (factors.every((f) => f === 1)) return candidates;
    return [...fadedOrder(positionalRelevance(poolSize), factors).map((p) => pool[p]), ...candidates.slice(poolSize)];
  },
};
