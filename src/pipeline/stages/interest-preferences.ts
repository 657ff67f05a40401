import type { Candidate } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';
import type { Stage } from '../stage.js';

/**
 * Honours the user's settings on their interests (PATCH /v1/users/{id}/profile), from the next request on: items of
 * a muted interest leave the list; items of a boosted interest move up by their boost (an item at position p is
 * placed as if at p / boost, so boost 2 takes the 10th item to about the 5th; boosts below 1 move items down). An
 * item belongs to an interest when that interest's centre is its nearest among the user's interests and it is within
 * the interest's radius (see interests/profile-preferences.ts). Runs only for users with a mute or boost.
 *
 * @example const ranked = await interestPreferencesStage.run(fused, ctx)
 */
export const interestPreferencesStage: Stage<Candidate[], Candidate[], RecommendContext> = {
  kind: 'rerank',
  name: 'interest-preferences',
  applies: (ctx) => ctx.interestPreferences !== undefined,
  async run(candidates, ctx) {
    const prefs = ctx.interestPreferences;
    if (!prefs) return candidates;
    const kept = candidates
      .map((c, position) => ({ c, interest: prefs.interestOf(c.itemId), position }))
      .filter((x) => x.interest === undefined || !prefs.muted.has(x.interest));
    if (prefs.boosts.size === 0) return kept.map((x) => x.c);
    const placed = kept.map((x, p) => ({ c: x.c, at: (p + 1) / (x.interest === undefined ? 1 : prefs.boosts.get(x.interest) ?? 1) }));
    // Stable: equal places keep the fused order.
    return placed.map((x, p) => ({ ...x, p })).sort((a, b) => a.at - b.at || a.p - b.p).map((x) => x.c);
  },
};
