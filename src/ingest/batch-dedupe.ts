/**
 * In-request deduplication of a bulk write, before it reaches the store: the API answers how many records of one
 * request were merged (items, users) or repeated or conflicting (events), apart from re-sends of ids already stored.
 */
import type { Event } from '../core/types.js';
import { eventContent, normaliseTimestamp } from '../storage/event-id.js';

export interface LastPerId<T> {
  /** One record per id: the last one sent for that id, at the position of its first occurrence. */
  records: T[];
  /** Records replaced by a later one with the same id in the same request. */
  merged: number;
}

/**
 * Keeps the last record of each id (a request that names an id twice means its last version).
 *
 * @example lastPerId([{ id: 'a', title: 'old' }, { id: 'a', title: 'new' }]) // { records: [{ id: 'a', title: 'new' }], merged: 1 }
 */
export function lastPerId<T extends { id: string }>(records: T[]): LastPerId<T> {
  const byId = new Map<string, T>();
  for (const r of records) byId.set(r.id, r);
  if (byId.size === records.length) return { records, merged: 0 };
  return { records: [...byId.values()], merged: records.length - byId.size };
}

export interface UniqueEvents {
  /** The first event of each id, in request order. */
  events: Event[];
  /** Later events with the same id and the same content (harmless repeats). */
  repeats: number;
  /** Later events with the same id but different content: not written (the first one is). */
  conflicts: number;
}

function contentOf(e: Event): string {
  return eventContent(e, normaliseTimestamp(e.timestamp) ?? e.timestamp);
}

/**
 * Events of one request with one event per id. Events without an id are keyed by their content (the store derives
 * their id from it), so two of them can only repeat, never conflict. Expects validated events.
 *
 * @example uniqueEvents([a, a, { ...a, value: 2 }]) // { events: [a], repeats: 1, conflicts: 1 } when `a` has an id
 */
export function uniqueEvents(events: Event[]): UniqueEvents {
  const first = new Map<string, Event>();
  const kept: Event[] = [];
  let repeats = 0;
  let conflicts = 0;
  for (const e of events) {
    const key = e.id !== undefined ? `id:${e.id}` : `content:${contentOf(e)}`;
    const prior = first.get(key);
    if (prior === undefined) {
      first.set(key, e);
      kept.push(e);
    } else if (e.id === undefined || contentOf(prior) === contentOf(e)) {
      repeats++;
    } else {
      conflicts++;
    }
  }
  return { events: kept, repeats, conflicts };
}
