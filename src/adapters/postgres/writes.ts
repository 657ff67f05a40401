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
// WITH ORDINALITY + ORDER BY: rows go in batch order, so of two rows with one id the first is kept.
const EVENT_INSERT = `INSERT INTO events (${EVENT_COLUMNS})
  SELECT id, user_id, item_id, type, value, ts, text, sentiment FROM unnest(
    $1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::bigint[], $7::text[], $8::float8[]
  ) WITH ORDINALITY AS v (id, user_id, item_id, type, value, ts, text, sentiment, ord) ORDER BY ord
  ON CONFLICT (id) DO NOTHING`;

/**
 * The last version of each id, in the order of their last occurrence: one statement may not upsert a row twice.
 *
 * @example lastById([{ id: 'x', title: 'a' }, { id: 'x', title: 'b' }]) // [{ id: 'x', title: 'b' }]
 */
export function lastById<T extends { id: string }>(records: T[]): T[] {
  const byId = new Map<string, T>();
  for (const r of records) {
    byId.delete(r.id);
    byId.set(r.id, r);
  }
  return [...byId.values()];
}

/** Upserts canonical items in one statement (the whole batch or none of it). */
export async function writeItems(db: Queryable, items: Item[]): Promise<void> {
  if (items.length > 0) await db.run(ITEM_UPSERT, itemColumns(lastById(items)));
}

/** Upserts canonical users in one statement. */
export async function writeUsers(db: Queryable, users: User[]): Promise<void> {
  if (users.length > 0) await db.run(USER_UPSERT, userColumns(lastById(users)));
}

/** Inserts checked events in one statement, ignoring known ids (also ids repeated within the batch). */
export async function writeEvents(db: Queryable, events: CheckedEvent[]): Promise<AddEventsResult> {
  if (events.length === 0) return { accepted: 0, duplicates: 0 };
  const e = events.map((c) => c.event);
  const accepted = await db.run(EVENT_INSERT, [
    e.map((x) => x.id), e.map((x) => x.userId), e.map((x) => x.itemId), e.map((x) => x.type), e.map((x) => x.value ?? null),
    events.map((c) => c.ms), e.map((x) => x.text ?? null), e.map((x) => x.sentiment ?? null),
  ]);
  return { accepted, duplicates: events.length - accepted };
}
