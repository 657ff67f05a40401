import { interestReason } from '../../../care/explain.js';
import type { Reason, Scored } from '../../../core/types.js';
import { nearestItemsIn } from '../../../interests/interest-search.js';
import { factorSpace, textSpace } from '../../../interests/item-space.js';
import type { InterestCentre } from '../../../interests/request-interests.js';
import { dot } from '../../../interests/spherical-kmeans.js';
import type { RecommendContext } from '../../request-context.js';
import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';

/**
 * `k` split in proportion to `weights` (largest remainder, ties to the earlier weight), so the parts sum to k.
 *
 * @example splitBudget([3, 1], 10) // [8, 2] (7.5 rounds up: the remainders tie and the heavier goes first)
 */
export function splitBudget(weights: readonly number[], k: number): number[] {
  const total = weights.reduce((s, w) => s + Math.max(0, w), 0);
  if (total <= 0 || k <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (Math.max(0, w) / total) * k);
  const parts = exact.map(Math.floor);
  let left = k - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((x, i) => ({ i, rest: x - parts[i] })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    parts[i]++;
  }
  return parts;
}

// Which interest recalled each item this request, for its reason.
const recalledBy = new WeakMap<RecommendContext, Map<number, InterestCentre>>();

/** The interest whose centre is nearest the item: the reason of an item shown from a cached list (no recall this request). */
function nearestInterest(ctx: RecommendContext, item: number): InterestCentre | undefined {
  const space = ctx.interestSpace === 'text' ? textSpace(ctx.bundle) : ctx.interestSpace === 'factors' ? factorSpace(ctx.bundle) : undefined;
  const v = space?.vector(item);
  let best: { interest: InterestCentre; cos: number } | undefined;
  for (const interest of v ? ctx.interests ?? [] : []) {
    const cos = dot(v ?? new Float32Array(), interest.centroid);
    if (!best || cos > best.cos) best = { interest, cos };
  }
  return best?.interest;
}

/**
 * Items near each of the user's stored interests ("semantic per interest"): the channel's k split across the
 * unmuted interests by weight × boost (splitBudget), each interest's share the items nearest its centre in the
 * profile's item space (text embeddings or collaborative factors, searched with the space's own index), heaviest
 * interest first and never an item an earlier interest took. Score: the cosine to the centre (only positive ones); blocked and consumed
 * items are left out. Each item's reason names its interest. Applies only with a stored profile in a searchable space.
 *
 * @example await interestsChannel.run({ k: 20, signal }, ctx)
 */
export const interestsChannel: RecallChannel = {
  kind: 'recall',
  name: 'interests',
  applies: (ctx) => !ctx.query && (ctx.interests?.length ?? 0) > 0 && nearestItemsIn(ctx.bundle, ctx.interestSpace) !== undefined,
  async run({ k }, ctx) {
    const nearest = nearestItemsIn(ctx.bundle, ctx.interestSpace);
    const interests = ctx.interests ?? [];
    if (!nearest) return [];
    const taken = new Set<number>(ctx.blockedIndexes.all);
    const by = new Map<number, InterestCentre>();
    const found: Scored[] = [];
    splitBudget(interests.map((i) => i.weight), k).forEach((quota, n) => {
      if (quota <= 0) return;
      for (const s of nearest(interests[n].centroid, quota, taken)) {
        if (!(s.score > 0)) break; // nearest first: the rest are no closer to the interest than to its opposite
        taken.add(s.index);
        by.set(s.index, interests[n]);
        found.push(s);
      }
    });
    recalledBy.set(ctx, by);
    found.sort((a, b) => b.score - a.score || a.index - b.index);
    return fromScored('interests', found, ctx.bundle.items);
  },
  evidence: () => undefined,
  reasons(ctx, item): Reason[] {
    const interest = recalledBy.get(ctx)?.get(item) ?? nearestInterest(ctx, item);
    return interest ? [interestReason(interest)] : [];
  },
};
