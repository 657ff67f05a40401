/** Store.eventSpan / eventCounts for SQLite: one aggregate query each, grouped by UTC day in SQL. */
import { DAY_MS, eventCountsOptions, eventSpanOptions, rollUpDays, spanOf } from '../../storage/event-count-options.js';
import type { EventBucketCount, EventCountsOptions, EventSpan } from '../../storage/store.js';
import type { SqliteStatements } from './statements.js';

/** Midnight UTC of the event's day in epoch ms: ts minus its floor-modulo (SQLite's % keeps the dividend's sign). */
const DAY_OF_TS = `ts - (((ts % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS})`;

export async function eventSpan(sql: SqliteStatements, opts: { itemId?: string } = {}): Promise<EventSpan | undefined> {
  const { itemId } = eventSpanOptions(opts);
  const where = itemId === undefined ? '' : ' WHERE item_id = ?';
  const row = await sql.get<{ first: number | null; last: number | null; events: number }>(
    `SELECT MIN(ts) AS first, MAX(ts) AS last, COUNT(*) AS events FROM events${where}`, ...(itemId === undefined ? [] : [itemId]),
  );
  return spanOf(row);
}

export async function eventCounts(sql: SqliteStatements, opts: EventCountsOptions): Promise<EventBucketCount[]> {
  const { bucket, itemId } = eventCountsOptions(opts);
  const where = itemId === undefined ? '' : ' WHERE item_id = ?';
  const rows = await sql.all<{ day: number; type: string; count: number }>(
    `SELECT ${DAY_OF_TS} AS day, type, COUNT(*) AS count FROM events${where} GROUP BY day, type`, ...(itemId === undefined ? [] : [itemId]),
  );
  return rollUpDays(rows, bucket);
}
