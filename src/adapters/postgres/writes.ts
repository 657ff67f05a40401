import type { Item, User } from '../../core/types.js';
import type { CheckedEvent } from '../../storage/records.js';
import type { AddEventsResult } from '../../storage/store.js';
import type { Queryable } from './pool.js';
import { EVENT_COLUMNS, ITEM_COLUMNS, USER_COLUMNS, itemColumns, userColumns } from './rows.js';

// Upsert replaces the whole record: a field left out of the new version is cleared.
const ITEM_UPSERT = `INSERT INTO items (${ITEM_COLUMNS})
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::boolean[])
  ON CONFLICT (id) DO UPDATE SET title = excluded.title, text = excluded.text, categories = excluded.categories,
  tags = excluded.tags, attributes = excluded.attributes, created_at = excluded.created_at,
  expires_at = excluded.expires_at, hidden = excluded.hidden`;
const USER_UPSERT = `INSERT INTO users (${USER_COLUMNS}) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
  ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes, consent = excluded.consent`;
const EVENT_INSERT = `INSERT INTO events (${EVENT_COLUMNS})
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::bigint[], $7::text[], $8::float8[])
  ON CONFLICT (id) DO NOTHING`;

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The last version of each id, sorted by id: one statement may not upsert a row twice, and writers that lock rows in
 * one order cannot deadlock each other.
 *
 * @example lastById([{ id: 'x', title: 'a' }, { id: 'x', title: 'b' }]) // [{ id: 'x', title: 'b' }]
 */
export function lastById<T extends { id: string }>(records: T[]): T[] {
  return [...new Map(records.map((r) => [r.id, r])).values()].sort(byId);
}

/** The first event of each id (a repeat within a batch is a duplicate, as in the store), sorted by id. */
function firstById(events: CheckedEvent[]): CheckedEvent[] {
  const seen = new Map<string, CheckedEvent>();
  for (const c of events) if (!seen.has(c.event.id)) seen.set(c.event.id, c);
  return [...seen.values()].sort((a, b) => byId(a.event, b.event));
}

/** Upserts canonical items in one statement (the whole batch or none of it). */
export async function writeItems(db: Queryable, items: Item[]): Promise<void> {
  if (items.length > 0) await db.run(ITEM_UPSERT, itemColumns(lastById(items)));
}

/** Upserts canonical users in one statement. */
export async function writeUsers(db: Queryable, users: User[]): Promise<void> {
  if (users.length > 0) await db.run(USER_UPSERT, userColumns(lastById(users)));
}

/** Inserts checked events in one statement, ignoring known ids (also ids repeated within the batch: the first is kept). */
export async function writeEvents(db: Queryable, events: CheckedEvent[]): Promise<AddEventsResult> {
  if (events.length === 0) return { accepted: 0, duplicates: 0 };
  const rows = firstById(events);
  const e = rows.map((c) => c.event);
  const accepted = await db.run(EVENT_INSERT, [
    e.map((x) => x.id), e.map((x) => x.userId), e.map((x) => x.itemId), e.map((x) => x.type), e.map((x) => x.value ?? null),
    rows.map((c) => c.ms), e.map((x) => x.text ?? null), e.map((x) => x.sentiment ?? null),
  ]);
  return { accepted, duplicates: events.length - accepted };
}
