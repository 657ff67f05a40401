import type { Scored } from '../../../core/types.js';
import type { RecommendContext } from '../../request-context.js';

const picksOf = new WeakMap<RecommendContext, Scored[]>();

/**
 * The main model's best `count` items for the user's newest events (the short-term row), best first; empty when the
 * slot is off, the main model is popularity, or the history is no longer than the short-term row (then the slot would
 * repeat the main list). Computed once per request: the cf channel places the pick, the short-term-slot stage keeps
 * it shown after fusion.
 *
 * @example const picks = shortTermPicks(ctx) // [{ index: 412, score: 0.8 }, ...]
 */
export function shortTermPicks(ctx: RecommendContext): Scored[] {
  const known = picksOf.get(ctx);
  if (known) return known;
  const { bundle } = ctx;
  const short = ctx.recentCfRow;
  const picks = !ctx.config.interests.shortTermSlot || bundle.models.main.name === 'popular' || !short || short.indices.length === 0
    || short.indices.length >= ctx.cfRow.indices.length
    ? []
    : bundle.models.main.recommend({ user: short, k: ctx.count, exclude: ctx.blockedIndexes.trained });
  picksOf.set(ctx, picks);
  return picks;
}

/**
 * The main model's list with one slot given to the user's newest events: the best item for the short-term row
 * (recent), when it is not already among the first `slot` items, is placed at position `slot` (1-based, usually the
 * last item of the visible list) and removed from further down. It takes the score of the item it displaces, so
 * scores stay in order. The list is unchanged when the short-term list has nothing new.
 *
 * @example withShortTermSlot([{ index: 1, score: 3 }, { index: 2, score: 2 }], [{ index: 9, score: 5 }], 2) // [1 (3), 9 (2), 2 (2)]
 */
export function withShortTermSlot(main: readonly Scored[], recent: readonly Scored[], slot: number): Scored[] {
  if (slot < 1 || recent.length === 0) return [...main];
  const head = main.slice(0, slot - 1);
  const pick = recent.find((r) => !head.some((m) => m.index === r.index));
  if (!pick) return [...main];
  const rest = main.slice(slot - 1).filter((m) => m.index !== pick.index);
  const score = rest[0]?.score ?? main[main.length - 1]?.score ?? pick.score;
  return [...head, { index: pick.index, score }, ...rest];
}
