import type { KindredConfig } from '../config/config.js';
/**
 * How the live history rows weigh a user's most recent positive events (config interests.shortTermShare,
 * shortTermHalfLife, shortTermEvents). With every event counted alike, one new like is 1 of a heavy user's 500 items
 * and rarely changes their list. Two levers: the whole row may give a `share` of its weight to the recent events
 * (newest heaviest), and a separate short-term row holds only the newest `events` positive events (the cf channel's
 * short-term slot recommends from it).
 */
export interface RecentEmphasis {
  /** Share of the whole row's weight given to the recent events, from 0 (every event alike) to below 1. */
  share: number;
  /** In events: the newest positive event weighs most, one `halfLife` events older half as much (an event count, not days). */
  halfLife: number;
  /** Positive events in the short-term row (0 = none). */
  events: number;
}

export const NO_EMPHASIS: RecentEmphasis = { share: 0, halfLife: 1, events: 0 };

/**
 * Weight of the positive event with `newer` positive events after it: 2^(−newer / halfLife).
 *
 * @example recencyDecay(2, 1) // 0.25
 */
export function recencyDecay(newer: number, halfLife: number): number {
  return 2 ** (-Math.max(0, newer) / Math.max(halfLife, 1e-9));
}

/**
 * Per-event multipliers for positive events given newest first with their event-type weights. The row keeps its total
 * weight: multiplier = (1 − share) + share · d · W / Wd, with d = recencyDecay(newer, halfLife), W = Σ weight and
 * Wd = Σ weight · d, so the recent part holds exactly `share` of the row whatever the history's length.
 *
 * @example recencyMultipliers([1, 1, 1, 1], { share: 0.5, halfLife: 1, events: 0 }) // ≈ [1.57, 1.03, 0.77, 0.63]
 */
export function recencyMultipliers(weightsNewestFirst: readonly number[], emphasis: RecentEmphasis): number[] {
  const share = Math.min(Math.max(emphasis.share, 0), 0.999);
  if (share === 0 || weightsNewestFirst.length === 0) return weightsNewestFirst.map(() => 1);
  const decay = weightsNewestFirst.map((_, newer) => recencyDecay(newer, emphasis.halfLife));
  const total = weightsNewestFirst.reduce((s, w) => s + w, 0);
  const recent = weightsNewestFirst.reduce((s, w, i) => s + w * decay[i], 0);
  if (total <= 0 || recent <= 0) return weightsNewestFirst.map(() => 1);
  return decay.map((d) => 1 - share + (share * d * total) / recent);
}

/**
 * The short-term emphasis config `interests` asks for (share of the row, half-life and events of the short-term row).
 *
 * @example recentEmphasisOf(config) // { share: 0, halfLife: 1, events: 3 }
 */
export function recentEmphasisOf(config: KindredConfig): RecentEmphasis {
  return { share: config.interests.shortTermShare, halfLife: config.interests.shortTermHalfLife, events: config.interests.shortTermEvents };
}
