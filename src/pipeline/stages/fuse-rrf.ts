import type { Candidate } from '../candidates.js';
import { orderByFusedScore, rankedChannels } from '../fusion/fused-order.js';
import type { RecommendContext } from '../request-context.js';
import type { Stage } from '../stage.js';
import { mainFirstFusion } from './fuse.js';
import type { Merged } from './merge.js';

/** RRF's damping constant (Cormack, Clarke & Büttcher 2009): 60, as in the paper and most search engines. */
export const RRF_K = 60;

/**
 * A candidate's reciprocal-rank-fusion score: the sum over the channels that recalled it of 1 / (k + rank), rank
 * 1-based. Channels count alike; nothing is learned.
 *
 * @example rrfScore({ itemId: 'a', via: 'cf', score: 0, scores: { cf: { score: 3, rank: 0, as: 'cf' }, popular: { score: 9, rank: 1, as: 'popular' } } }) // 1/61 + 1/62
 */
export function rrfScore(c: Candidate, k = RRF_K): number {
  let s = 0;
  for (const ch of rankedChannels(c)) s += 1 / (k + c.scores[ch].rank + 1);
  return s;
}

/**
 * Reciprocal-rank fusion of every channel's list (the unlearned comparison for learned fusion). A text query keeps
 * its own order, as in main-first.
 *
 * @example const ranked = await rrfFusion.run(shown, ctx)
 */
export const rrfFusion: Stage<Merged, Candidate[], RecommendContext> = {
  kind: 'fuse',
  name: 'rrf',
  async run(merged, ctx) {
    if (ctx.query) return mainFirstFusion.run(merged, ctx);
    return orderByFusedScore(merged.candidates, merged.candidates.map((c) => rrfScore(c)), ctx);
  },
};
