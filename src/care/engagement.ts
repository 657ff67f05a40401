import type { KindredConfig } from '../config/config.js';
import { eventWeight } from '../config/event-weight.js';
import type { ItemId, StoredEvent } from '../core/types.js';
import { lastEngagement } from './fatigue.js';

/** The event type clients record when an item was shown (weight 0: stored, never interest). */
export const IMPRESSION = 'impression';

/** At most this many impressions are read per request (the newest of the fatigue window). */
export const IMPRESSION_READ_LIMIT = 5000;

/**
 * Whether an event is engagement with its item under the configured event types: a positive event (impressions weigh
 * 0, negative feedback is none).
 *
 * @example engagedWith(config)({ id: 'e', userId: 'u', itemId: 'i', type: 'like', timestamp: '2024-01-01T00:00:00Z' }) // true
 */
export function engagedWith(config: KindredConfig): (e: StoredEvent) => boolean {
  return (e) => {
    const w = eventWeight(e.type, e.value, config.events.types);
    return w !== 'negative' && w > 0;
  };
}

/**
 * The consumed items that stay out of the user's lists: all of them when `days` (care.repeatAfterDays, or the request's
 * own) is 0, else those the user engaged with less than that many days before `nowMs` (older ones may come back:
 * repeat-consumption domains).
 *
 * @example stillConsumed(profile.consumed, history, config, clock.now(), 30) // Set { 'i7' }
 */
export function stillConsumed(
  consumed: ReadonlySet<ItemId>, history: readonly StoredEvent[], config: KindredConfig, nowMs: number, days = config.care.repeatAfterDays,
): ReadonlySet<ItemId> {
  if (days <= 0) return consumed;
  const since = nowMs - days * 86_400_000;
  const engaged = lastEngagement(history, engagedWith(config));
  return new Set([...consumed].filter((id) => (engaged.get(id) ?? -Infinity) > since));
}

/**
 * The history types a request reads: every configured type but impressions (so impressions never push real events out
 * of the history window), or undefined (every type) when config events.allowUnknownTypes lets any type in.
 *
 * @example historyTypes(config) // ['view', 'click', ..., 'review']
 */
export function historyTypes(config: KindredConfig): string[] | undefined {
  if (config.events.allowUnknownTypes) return undefined;
  return Object.keys(config.events.types).filter((t) => t !== IMPRESSION);
}

/**
 * The read of a user's recent impressions for the fatigue stage: type impression, since care.fatigueWindowDays before
 * `nowMs`, newest first, at most IMPRESSION_READ_LIMIT.
 *
 * @example await store.history(userId, impressionRead(config, clock.now()))
 */
export function impressionRead(config: KindredConfig, nowMs: number): { types: string[]; since: string; limit: number } {
  return { types: [IMPRESSION], since: new Date(nowMs - config.care.fatigueWindowDays * 86_400_000).toISOString(), limit: IMPRESSION_READ_LIMIT };
}
