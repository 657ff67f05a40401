import type { Statement } from 'better-sqlite3';
import type { Item, User } from '../../core/types.js';
import type { CheckedEvent } from '../../storage/records.js';
import type { AddEventsResult } from '../../storage/store.js';
import type { SqliteDatabase } from './connection.js';
import { EVENT_COLUMNS, ITEM_COLUMNS, itemParams, userParams } from './rows.js';

/**
 * The prepared write statements of one connection. The store's main connection prepares them on the live tables, each
 * bulk connection on its staged copies (see staging.ts); both write through the functions below, so an import and an
 * API call store identical rows.
 */
export interface WriteStatements {
  upsertItem: Statement;
  upsertUser: Statement;
  insertEvent: Statement;
}

// Upsert replaces the whole record: a field left out of the new version is cleared.
/** The SET clause of an item upsert (also used when an import publishes its staged items). */
export const ITEM_UPSERT_SET = `ON CONFLICT (id) DO UPDATE SET title = excluded.title, text = excluded.text,
  categories = excluded.categories, tags = excluded.tags, attributes = excluded.attributes,
  created_at = excluded.created_at, expires_at = excluded.expires_at, hidden = excluded.hidden`;
/** The SET clause of a user upsert. */
export const USER_UPSERT_SET = 'ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes, consent = excluded.consent';
const UPSERT_ITEM = `INSERT INTO items (${ITEM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ${ITEM_UPSERT_SET}`;
const UPSERT_USER = `INSERT INTO users (id, attributes, consent) VALUES (?, ?, ?) ${USER_UPSERT_SET}`;
const INSERT_EVENT = `INSERT OR IGNORE INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

export function prepareWrites(db: SqliteDatabase): WriteStatements {
  return { upsertItem: db.prepare(UPSERT_ITEM), upsertUser: db.prepare(UPSERT_USER), insertEvent: db.prepare(INSERT_EVENT) };
}

/** Writes canonical items; call inside a transaction. */
export function writeItems(w: WriteStatements, items: Item[]): void {
  for (const it of items) w.upsertItem.run(itemParams(it));
}

/** Writes canonical users; call inside a transaction. */
export function writeUsers(w: WriteStatements, users: User[]): void {
  for (const u of users) w.upsertUser.run(userParams(u));
}

/** Inserts checked events, ignoring known ids (also ids repeated within the batch); call inside a transaction. */
export function writeEvents(w: WriteStatements, events: CheckedEvent[]): AddEventsResult {
  let accepted = 0;
  for (const { event: e, ms } of events) {
    accepted += w.insertEvent.run(e.id, e.userId, e.itemId, e.type, e.value ?? null, ms, e.text ?? null, e.sentiment ?? null).changes;
  }
  return { accepted, duplicates: events.length - accepted };
}
