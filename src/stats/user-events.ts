/** A user's history as a timeline, newest first, one page at a time (GET /v1/users/{id}/events). */
import type { StoredEvent, UserId } from '../core/types.js';
import { requireKnownUser } from '../storage/known-user.js';
import type { EventPosition, Store } from '../storage/store.js';

/** Events per page when the caller does not say. */
export const DEFAULT_EVENTS_PAGE = 50;

export interface UserEventsOptions {
  /** Events per page (default 50). */
  limit?: number;
  /** Only events of these types. */
  types?: string[];
  /** The previous page's `next`: continue after (older than) this event. */
  before?: EventPosition;
}

export interface UserEventsPage {
  /** Newest first: each event as the export shows it (review text and stored sentiment included). */
  events: StoredEvent[];
  /** Where the next (older) page starts; absent on the last page. */
  next?: EventPosition;
}

/**
 * One page of the user's events, newest first, by (timestamp, id); NOT_FOUND for a user the store does not know.
 *
 * @example const { events, next } = await userEvents(store, 'u1', { limit: 20 }); await userEvents(store, 'u1', { limit: 20, before: next })
 */
export async function userEvents(store: Store, userId: UserId, opts: UserEventsOptions = {}): Promise<UserEventsPage> {
  await requireKnownUser(store, userId);
  const limit = opts.limit ?? DEFAULT_EVENTS_PAGE;
  // One more than asked tells whether an older page exists.
  const rows = await store.history(userId, { limit: limit + 1, types: opts.types, before: opts.before });
  if (rows.length <= limit) return { events: rows };
  const events = rows.slice(0, limit);
  const last = events[events.length - 1];
  return { events, next: { timestamp: last.timestamp, id: last.id } };
}
