import type { Candidate } from '../candidates.js';
import { candidateFeatures } from '../fusion/features.js';
import { fusionInputs } from '../fusion/channel-scores.js';
import { orderByFusedScore } from '../fusion/fused-order.js';
import { scoreRows } from '../fusion/ranker.js';
import type { RecommendContext } from '../request-context.js';
import { Degraded, type Stage } from '../stage.js';
import { mainFirstFusion } from './fuse.js';
import type { Merged } from './merge.js';

/**
 * Learned fusion: the model version's logistic ranker (pipeline/fusion/ranker.ts, learned at training on held-out
 * events) scores each candidate from its channels' normalised scores and ranks, item popularity and user activity
 * (fusion/features.ts). Without a stored ranker (a version trained without channels to fuse, or before learned fusion
 * existed) it falls back to main-first and traces the stage as degraded. A text query keeps its own order.
 *
 * @example const ranked = await learnedFusion.run(shown, ctx)
 */
export const learnedFusion: Stage<Merged, Candidate[], RecommendContext> = {
  kind: 'fuse',
  name: 'learned',
  async run(merged, ctx) {
    const ranker = ctx.bundle.fusion;
    if (ctx.query) return mainFirstFusion.run(merged, ctx);
    if (!ranker) {
      const order = await mainFirstFusion.run(merged, ctx);
      return new Degraded(order instanceof Degraded ? order.out : order, 'no fusion ranker in this model version: main-first order');
    }
    const x = candidateFeatures(merged.candidates, ranker.channels, fusionInputs(merged.candidates, ranker.channels, ctx));
    return orderByFusedScore(merged.candidates, scoreRows(ranker, x), ctx);
  },
};
