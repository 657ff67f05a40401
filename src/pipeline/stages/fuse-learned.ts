import type { Candidate } from '../candidates.js';
import { candidateFeatures } from '../fusion/features.js';
import { fusionInputs } from '../fusion/channel-scores.js';
import { orderByFusedScore } from '../fusion/fused-order.js';
import { scoreRows } from '../fusion/ranker.js';
import type { RecommendContext } from '../request-context.js';
import type { Stage } from '../stage.js';
import { mainFirstFusion } from './fuse.js';
import type { Merged } from './merge.js';

/**
 * Learned fusion: the model version's logistic ranker (pipeline/fusion/ranker.ts, learned at training on held-out
 * events) scores each candidate from its channels' normalised scores and ranks, item popularity and user activity
 * (fusion/features.ts). A version without a ranker (trained with train.fusion off, on too little data, or before
 * learned fusion existed) is fused by main-first: that is the rule, not a failure; so is a user without history. A
 * text query keeps its own order.
 *
 * @example const ranked = await learnedFusion.run(shown, ctx)
 */
export const learnedFusion: Stage<Merged, Candidate[], RecommendContext> = {
  kind: 'fuse',
  name: 'learned',
  async run(merged, ctx) {
    const ranker = ctx.bundle.fusion;
    // Without a history the ranker has nothing it learned from (it learned on users with one): popular's order stands.
    if (ctx.query || !ranker || ctx.cfRow.indices.length === 0) return mainFirstFusion.run(merged, ctx);
    const x = candidateFeatures(merged.candidates, ranker.channels, fusionInputs(merged.candidates, ranker.channels, ctx));
    // The logistic's probability, not its logit: the same order, and a score that reads as a chance in [0, 1].
    const chance = scoreRows(ranker, x).map((t) => 1 / (1 + Math.exp(-t)));
    return orderByFusedScore(merged.candidates, chance, ctx);
  },
};
