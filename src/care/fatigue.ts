import type { ItemId, StoredEvent } from '../core/types.js';

/** The fatigue settings (config care.*) the counting and the fading read. */
export interface FatigueSettings {
  /** Impressions without engagement after which an item fades (care.fatigueAfter; 0 = it never fades). */
  after: number;
  /** Share of its relevance an item loses per impression from the `after`-th on (care.fatigueDecay, 0..1). */
  decay: number;
  /** Impressions at which an item is left out (care.impressionCap; 0 = no cap). */
  cap: number;
  /** Hours without an impression after which an item's count starts again from 0 (care.cooldownHours; 0 = never). */
  cooldownHours: number;
}

/**
 * How many times each item was shown to the user since they last engaged with it: impressions (any order) newer than
 * the user's newest positive event on the item (`engagedAtMs`), counted only when the item's newest impression is
 * within the cool-down (an item not shown for `cooldownHours` starts again from 0). Items at 0 are left out.
 *
 * @example impressionCounts(impressions, new Map([['i1', Date.parse('2024-01-02')]]), now, 72) // Map { 'i2' => 3 }
 */
export function impressionCounts(
  impressions: readonly StoredEvent[], engagedAtMs: ReadonlyMap<ItemId, number>, nowMs: number, cooldownHours: number,
): Map<ItemId, number> {
  const counts = new Map<ItemId, number>();
  const newest = new Map<ItemId, number>();
  for (const e of impressions) {
    const at = Date.parse(e.timestamp);
    if (at <= (engagedAtMs.get(e.itemId) ?? -Infinity)) continue;
    counts.set(e.itemId, (counts.get(e.itemId) ?? 0) + 1);
    newest.set(e.itemId, Math.max(newest.get(e.itemId) ?? -Infinity, at));
  }
  if (cooldownHours > 0) {
    const restedBefore = nowMs - cooldownHours * 3_600_000;
    for (const [id, at] of newest) if (at < restedBefore) counts.delete(id);
  }
  return counts;
}

/**
 * The newest engagement per item: the newest event of the history (any order) that `engaged` accepts (a positive
 * event; impressions and negative feedback are no engagement).
 *
 * @example lastEngagement(history, (e) => e.type !== 'impression') // Map { 'i1' => 1704067200000 }
 */
export function lastEngagement(history: readonly StoredEvent[], engaged: (e: StoredEvent) => boolean): Map<ItemId, number> {
  const out = new Map<ItemId, number>();
  for (const e of history) {
    if (!engaged(e)) continue;
    const at = Date.parse(e.timestamp);
    if (at > (out.get(e.itemId) ?? -Infinity)) out.set(e.itemId, at);
  }
  return out;
}

/**
 * The fatigue factor of an item shown `count` times without engagement: 1 below `after`, (1 − decay)^(count − after + 1)
 * from `after` on, and 0 (left out) at `cap`.
 *
 * @example fatigueFactor(4, { after: 3, decay: 0.5, cap: 6, cooldownHours: 0 }) // 0.25
 */
export function fatigueFactor(count: number, s: FatigueSettings): number {
  if (s.cap > 0 && count >= s.cap) return 0;
  if (s.after <= 0 || count < s.after) return 1;
  return (1 - s.decay) ** (count - s.after + 1);
}

/**
 * The positions of a list of `relevance` (best first) after fatigue: each item's relevance times its factor, stable
 * re-sort (ties keep the order), items of factor 0 left out.
 *
 * @example fadedOrder([1, 0.66, 0.33], [0.25, 1, 1]) // [1, 2, 0]
 */
export function fadedOrder(relevance: ArrayLike<number>, factors: readonly number[]): number[] {
  return Array.from(relevance)
    .map((r, i) => ({ i, score: r * factors[i] }))
    .filter((x) => factors[x.i] > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((x) => x.i);
}
