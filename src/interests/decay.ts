import { eventWeight } from '../config/event-weight.js';
import type { EventTypeConfig } from '../config/schema.js';
import type { ItemId, StoredEvent } from '../core/types.js';

const DAY_MS = 86_400_000;

/** How one term (long or short) weighs a user's events. */
export interface DecayOptions {
  /** Days after which an event counts half; 0 = no decay. */
  halfLifeDays: number;
  /** Only the most recent this many positive events (0 = all). */
  window?: number;
}

/** One term's weighted items: item id -> summed weight, and how many events contributed. */
export interface DecayedItems {
  weights: Map<ItemId, number>;
  events: number;
}

/**
 * 2^(−age/halfLife): the share of its weight an event keeps after `ageDays` (1 when halfLife is 0: no decay).
 *
 * @example decayFactor(30, 30) // 0.5
 */
export function decayFactor(ageDays: number, halfLifeDays: number): number {
  if (halfLifeDays <= 0) return 1;
  return 2 ** (-Math.max(0, ageDays) / halfLifeDays);
}

/**
 * Positive events folded into per-item weights: event-type weight (config events.types) × 2^(−age/halfLife), summed
 * per item. Ages are measured from `reference` (the user's latest event: the profile's vectors are normalised, so a
 * common factor from any later reference cancels, and old datasets never underflow). Negative feedback and
 * zero-weight events (impressions) are left out. `history` may come in any order.
 *
 * @example decayedItems(history, DEFAULT_EVENT_TYPES, Date.parse(latest), { halfLifeDays: 365 })
 */
export function decayedItems(
  history: readonly StoredEvent[], types: Record<string, EventTypeConfig>, reference: number, opts: DecayOptions,
): DecayedItems {
  const positive = history
    .map((e) => ({ e, w: eventWeight(e.type, e.value, types), t: Date.parse(e.timestamp) }))
    .filter((x): x is { e: StoredEvent; w: number; t: number } => x.w !== 'negative' && x.w > 0)
    // Newest first; equal times keep a fixed order so windows are deterministic.
    .sort((a, b) => b.t - a.t || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0));
  const kept = opts.window && opts.window > 0 ? positive.slice(0, opts.window) : positive;
  const weights = new Map<ItemId, number>();
  for (const { e, w, t } of kept) {
    const age = (reference - (Number.isFinite(t) ? t : reference)) / DAY_MS;
    weights.set(e.itemId, (weights.get(e.itemId) ?? 0) + w * decayFactor(age, opts.halfLifeDays));
  }
  return { weights, events: kept.length };
}

/** The time of the newest event of a history (ms since epoch), or undefined when it is empty. */
export function latestEventTime(history: readonly StoredEvent[]): number | undefined {
  let latest: number | undefined;
  for (const e of history) {
    const t = Date.parse(e.timestamp);
    if (Number.isFinite(t) && (latest === undefined || t > latest)) latest = t;
  }
  return latest;
}
