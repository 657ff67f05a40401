import { interleave } from '../blend.js';
import type { Candidate } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';
import type { Stage } from '../stage.js';
import { SHARE_CHANNELS } from '../fusion/fused-order.js';
import type { Merged } from './merge.js';

/** The candidates a channel recalled, in that channel's order, placed by it. */
function placedBy(channel: string, candidates: Candidate[]): Candidate[] {
  return candidates
    .filter((c) => c.scores[channel])
    .sort((a, b) => a.scores[channel].rank - b.scores[channel].rank)
    .map((c) => ({ ...c, via: channel, score: c.scores[channel].score }));
}

/**
 * Fusion by fixed rules (learned fusion is later work): a text query's own order; else the main model's channel (cf,
 * or semantic for a history the collaborative models cannot read, or popular when cf failed), with popular items as
 * filler when the main channel found fewer than it was asked for, and items added since training or outside the main
 * model's coverage (the share channels cold-items and uncovered) interleaved at a share of the list (config
 * pipeline.coldItemShare). The head of `count` items is fused; the rest of the main order
 * follows, for the re-rank stages to draw on.
 *
 * @example const ranked = await mainFirstFusion.run(shown, ctx)
 */
export const mainFirstFusion: Stage<Merged, Candidate[], RecommendContext> = {
  kind: 'fuse',
  name: 'main-first',
  async run({ candidates, channels }, ctx) {
    if (ctx.query) return placedBy('query', candidates);
    const answered = new Map(channels.filter((l) => !l.degraded).map((l) => [l.channel, l]));
    const main = ['cf', 'semantic', 'popular'].find((ch) => answered.has(ch));
    const cold: Candidate[] = [];
    for (const ch of SHARE_CHANNELS.filter((name) => answered.has(name))) {
      const placed = new Set(cold.map((c) => c.itemId));
      cold.push(...placedBy(ch, candidates).filter((c) => !placed.has(c.itemId)));
    }
    const coldIds = new Set(cold.map((c) => c.itemId));
    let ranked = main ? placedBy(main, candidates).filter((c) => !coldIds.has(c.itemId)) : [];
    const mainList = main ? answered.get(main) : undefined;
    if (main !== 'popular' && (!mainList || mainList.candidates.length < mainList.k) && answered.has('popular')) {
      const seen = new Set([...ranked, ...cold].map((c) => c.itemId));
      ranked = ranked.concat(placedBy('popular', candidates).filter((c) => !seen.has(c.itemId)));
    }
    const share = ctx.config.pipeline.coldItemShare;
    const quota = share > 0 ? Math.max(1, Math.round(ctx.count * share)) : 0;
    const head = interleave(ranked, cold, quota, ctx.count);
    const inHead = new Set(head.map((c) => c.itemId));
    return [...head, ...ranked.filter((c) => !inHead.has(c.itemId))];
  },
};
