import type { StoredEvent } from '../core/types.js';
import type { Candidate } from '../pipeline/candidates.js';
import { IMPRESSION, IMPRESSION_READ_LIMIT } from './engagement.js';

/** The daily budget's window: a rolling 24 hours. */
export const BUDGET_WINDOW_MS = 24 * 3_600_000;

/**
 * The read of a user's impressions of the last 24 h, for the daily budget when the fatigue stage (which reads a longer
 * window) is not named: type impression, newest first, at most IMPRESSION_READ_LIMIT.
 *
 * @example await store.history(userId, budgetImpressionRead(clock.now()))
 */
export function budgetImpressionRead(nowMs: number): { types: string[]; since: string; limit: number } {
  return { types: [IMPRESSION], since: new Date(nowMs - BUDGET_WINDOW_MS).toISOString(), limit: IMPRESSION_READ_LIMIT };
}

/**
 * How many items were shown to the user in the 24 h before `nowMs`: their impressions in that window (each impression
 * event is one item shown once; the same item shown twice counts twice).
 *
 * @example shownInLastDay(impressions, Date.parse('2024-02-02T00:00:00Z')) // 20
 */
export function shownInLastDay(impressions: readonly StoredEvent[], nowMs: number): number {
  const since = nowMs - BUDGET_WINDOW_MS;
  let n = 0;
  for (const e of impressions) {
    const t = Date.parse(e.timestamp);
    if (t > since && t <= nowMs) n++;
  }
  return n;
}

/**
 * How many more items the user may be shown today under a daily budget (0 when it is spent).
 *
 * @example budgetLeft(20, 15) // 5
 */
export function budgetLeft(budget: number, shown: number): number {
  return Math.max(0, budget - shown);
}

/**
 * The notice of a list cut short by the daily budget.
 *
 * @example budgetNotice(20, 0) // 'Your daily budget of 20 recommendations is reached: no more for now.'
 */
export function budgetNotice(budget: number, left: number): string {
  const rest = left === 0 ? 'no more for now' : `only ${left} more for now`;
  return `Your daily budget of ${budget} recommendations is reached: ${rest}.`;
}

/**
 * The candidates whose fused score reaches the quality floor, in their order (a floor of 0 keeps every one).
 *
 * @example aboveFloor([{ score: 0.2 }, { score: 0.01 }] as Candidate[], 0.05).length // 1
 */
export function aboveFloor(candidates: readonly Candidate[], floor: number): Candidate[] {
  return floor > 0 ? candidates.filter((c) => c.score >= floor) : [...candidates];
}

/**
 * The notice of a list cut short by the quality floor.
 *
 * @example floorNotice(2) // 'Few items suit you well right now, so this list is shorter.'
 */
export function floorNotice(kept: number): string {
  return kept === 0 ? 'Nothing suits you well enough right now.' : 'Few items suit you well right now, so this list is shorter.';
}
