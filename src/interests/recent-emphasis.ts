/**
 * How much of the live history row the models fold in belongs to the user's most recent positive events (config
 * interests.shortTermWeight and interests.shortTermHalfLife). With every event counted alike, one new like is 1 of a
 * heavy user's 500 items and rarely changes their list; here the row is a mix: (1 − share) of its weight spread over
 * the whole history as before, `share` over the recent events by recency. Being a share of the row, the effect of a
 * new event does not fade as the history grows.
 */
export interface RecentEmphasis {
  /** Share of the row's weight given to the recent events, from 0 (every event alike) to below 1. */
  share: number;
  /** In events: the newest positive event weighs most, one `halfLife` events older half as much (an event count, not days). */
  halfLife: number;
}

export const NO_EMPHASIS: RecentEmphasis = { share: 0, halfLife: 1 };

/**
 * Per-event multipliers for positive events given newest first with their event-type weights. The row keeps its total
 * weight: multiplier = (1 − share) + share · d · W / Wd, with d = 2^(−newer / halfLife), W = Σ weight and
 * Wd = Σ weight · d, so the recent part holds exactly `share` of the row whatever the history's length.
 *
 * @example recencyMultipliers([1, 1, 1, 1], { share: 0.5, halfLife: 1 }) // ≈ [1.57, 1.03, 0.77, 0.63]
 */
export function recencyMultipliers(weightsNewestFirst: readonly number[], emphasis: RecentEmphasis): number[] {
  const share = Math.min(Math.max(emphasis.share, 0), 0.999);
  if (share === 0 || weightsNewestFirst.length === 0) return weightsNewestFirst.map(() => 1);
  const halfLife = Math.max(emphasis.halfLife, 1e-9);
  const decay = weightsNewestFirst.map((_, newer) => 2 ** (-newer / halfLife));
  const total = weightsNewestFirst.reduce((s, w) => s + w, 0);
  const recent = weightsNewestFirst.reduce((s, w, i) => s + w * decay[i], 0);
  if (total <= 0 || recent <= 0) return weightsNewestFirst.map(() => 1);
  return decay.map((d) => 1 - share + (share * d * total) / recent);
}
