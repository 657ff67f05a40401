import type { Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import type { Stage } from '../pipeline/stage.js';
import { fatigueSettingsOf } from './care-strength.js';
import { engagedWith } from './engagement.js';
import { fadedOrder, fatigueFactor, impressionCounts, lastEngagement } from './fatigue.js';
import { positionalRelevance } from './mmr.js';

/** How many candidates beyond the shown list fading reorders, as a multiple of the list length. */
const POOL_FACTOR = 3;

/**
 * Fatigue and exposure (issue 10): an item shown care.fatigueAfter times since the user last engaged with it fades
 * (its relevance, by fused position, loses care.fatigueDecay per impression from then on, and the first 3 × count
 * candidates are sorted again), and at care.impressionCap it is left out of the list. Impressions are the user's
 * `impression` events of the last care.fatigueWindowDays (read once by the request context); an item not shown for
 * care.cooldownHours starts again from 0. Each setting may be the request's, the user's or the scenario's own
 * (ctx.care, fatigueSettingsOf). Runs only when the user has impressions in the window: without them it is
 * neither run nor traced.
 *
 * @example const rested = await fatigueStage.run(fused, ctx)
 */
export const fatigueStage: Stage<Candidate[], Candidate[], RecommendContext> = {
  kind: 'rerank',
  name: 'fatigue',
  applies: (ctx) => (ctx.impressions?.length ?? 0) > 0,
  async run(candidates, ctx) {
    const settings = fatigueSettingsOf(ctx);
    const engaged = lastEngagement(ctx.history ?? [], engagedWith(ctx.config));
    const counts = impressionCounts(ctx.impressions ?? [], engaged, ctx.clock.now(), settings.cooldownHours);
    if (counts.size === 0) return candidates;
    const factors = candidates.map((c) => fatigueFactor(counts.get(c.itemId) ?? 0, settings));
    const poolSize = Math.min(candidates.length, Math.max(ctx.count * POOL_FACTOR, ctx.count + 1));
    const pool = fadedOrder(positionalRelevance(poolSize), factors.slice(0, poolSize)).map((p) => candidates[p]);
    const tail = candidates.slice(poolSize).filter((_, i) => factors[poolSize + i] > 0);
    return [...pool, ...tail];
  },
};
