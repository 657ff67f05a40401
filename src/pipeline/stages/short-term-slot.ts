import type { Candidate } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';
import type { Stage } from '../stage.js';

/** The main model's best items for the user's newest events (the short-term row), best first; empty when not wanted. */
function shortTermPicks(ctx: RecommendContext): string[] {
  const { bundle } = ctx;
  const short = ctx.recentCfRow;
  // A history no longer than the short-term row is all recent: the slot would repeat the main list.
  if (!ctx.config.interests.shortTermSlot || bundle.models.main.name === 'popular' || !short || short.indices.length === 0
    || short.indices.length >= ctx.cfRow.indices.length) return [];
  return bundle.models.main.recommend({ user: short, k: ctx.count, exclude: ctx.blockedIndexes.trained }).map((s) => bundle.items.idAt(s.index));
}

/**
 * Keeps one new like visible whatever the fusion did: the last shown place goes to one of the main model's best items
 * for the user's newest events (config interests.shortTermEvents) that the places above do not show, the one fusion
 * ranks highest (the likeliest to be relevant of those the newest events point to). The cf channel puts the same item into its own list (recall/short-term-slot.ts), so it is a candidate
 * that passed the filters; the item is only moved, never added. Off with config interests.shortTermSlot false.
 *
 * @example const ranked = await shortTermSlotStage.run(fused, ctx)
 */
export const shortTermSlotStage: Stage<Candidate[], Candidate[], RecommendContext> = {
  kind: 'rerank',
  name: 'short-term-slot',
  applies: (ctx) => ctx.config.interests.shortTermSlot && !ctx.query && ctx.count > 0,
  async run(ranked, ctx) {
    const head = new Set(ranked.slice(0, ctx.count - 1).map((c) => c.itemId));
    const position = new Map(ranked.map((c, i) => [c.itemId, i]));
    // Of the items the newest events point to that the head does not show, the one fusion ranks highest.
    let at = -1;
    for (const id of shortTermPicks(ctx)) {
      const i = head.has(id) ? undefined : position.get(id);
      if (i !== undefined && (at < 0 || i < at)) at = i;
    }
    if (at < ctx.count - 1) return ranked; // none among the candidates, or already shown
    const moved = ranked[at];
    const rest = ranked.filter((_, i) => i !== at);
    return [...rest.slice(0, ctx.count - 1), moved, ...rest.slice(ctx.count - 1)];
  },
};
