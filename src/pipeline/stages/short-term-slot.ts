import type { Candidate } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';
import type { Stage } from '../stage.js';
import { shortTermPicks } from './recall/short-term-slot.js';

/**
 * Keeps one new like visible whatever the fusion did: the last shown place goes to one of the main model's best items
 * for the user's newest events (config interests.shortTermEvents) that the places above do not show, the one fusion
 * ranks highest (the likeliest to be relevant of those the newest events point to). The cf channel puts the first of
 * them into its own list (recall/short-term-slot.ts, the same picks, computed once per request), so it is a candidate
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
    for (const id of shortTermPicks(ctx).map((s) => ctx.bundle.items.idAt(s.index))) {
      const i = head.has(id) ? undefined : position.get(id);
      if (i !== undefined && (at < 0 || i < at)) at = i;
    }
    if (at < ctx.count - 1) return ranked; // none among the candidates, or already shown
    const moved = ranked[at];
    const rest = ranked.filter((_, i) => i !== at);
    return [...rest.slice(0, ctx.count - 1), moved, ...rest.slice(ctx.count - 1)];
  },
};
