import type { Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import type { Stage } from '../pipeline/stage.js';
import { gentleMode } from './care-strength.js';
import { gentleOrder, ItemToneMemo, recentMood } from './gentle.js';
import { trainedBundleOf } from '../models/model-bundle.js';

/** How many candidates beyond the shown list gentle mode reorders, as a multiple of the list length. */
const POOL_FACTOR = 3;

const DAY_MS = 86_400_000;

/** Item tones, kept per model version for the life of the process. */
const itemTones = new ItemToneMemo();

/** Whether the user's recent texts are strongly negative on average (config care.gentleWindowDays, care.gentleMoodBelow). */
function lowMood(ctx: RecommendContext): boolean {
  if (!ctx.history || ctx.history.length === 0) return false;
  const mood = recentMood(ctx.history, ctx.clock.now() - ctx.config.care.gentleWindowDays * DAY_MS);
  return mood !== undefined && mood < ctx.config.care.gentleMoodBelow;
}

/**
 * Gentle mode (issue 10, emotion-aware care): when it is on (config care.gentle, or the request's `care.gentle`) and
 * the user's own texts of the last care.gentleWindowDays are strongly negative on average (below
 * care.gentleMoodBelow), items whose own text (else title) is distressing (sentiment below care.distressingBelow)
 * move below the others among the first 3 × count candidates. Nothing is removed and no reason is added. Not run,
 * and not traced, when gentle mode is off or the user's mood does not call for it.
 *
 * @example const softer = await gentleStage.run(fused, ctx)
 */
export const gentleStage: Stage<Candidate[], Candidate[], RecommendContext> = {
  kind: 'rerank',
  name: 'gentle',
  applies: (ctx) => gentleMode(ctx) && lowMood(ctx),
  async run(candidates, ctx) {
    const below = ctx.config.care.distressingBelow;
    const poolSize = Math.min(candidates.length, Math.max(ctx.count * POOL_FACTOR, ctx.count + 1));
    const distressing = (c: Candidate): boolean => {
      const tone = c.item ? itemTones.toneOf(trainedBundleOf(ctx.bundle), c.item) : undefined;
      return tone !== undefined && tone < below;
    };
    return [...gentleOrder(candidates.slice(0, poolSize), distressing), ...candidates.slice(poolSize)];
  },
};
