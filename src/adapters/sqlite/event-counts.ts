/** Store.eventSpan / eventCounts for SQLite: one aggregate query each, grouped by the bucket's day in SQL. */
import type { TimeBucket } from '../../core/time-buckets.js';
import { bucketStartOfDay, eventCountsOptions, eventSpanOptions, inBucketOrder, spanOf } from '../../storage/event-count-options.js';
import type { EventBucketCount, EventCountsOptions, EventSpan } from '../../storage/store.js';
import type { SqliteStatements } from './statements.js';

/** The `YYYY-MM-DD` (UTC) start of the bucket of `ts` (epoch ms; fractional seconds so times before 1970 floor). */
const BUCKET_DAY: Record<TimeBucket, string> = {
  day: "strftime('%Y-%m-%d', ts / 1000.0, 'unixepoch')",
  // The next Sunday (or the same day when a Sunday), then back six days: the week's Monday.
  week: "date(ts / 1000.0, 'unixepoch', 'weekday 0', '-6 days')",
  month: "strftime('%Y-%m-01', ts / 1000.0, 'unixepoch')",
};

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
  const rows = await sql.all<{ day: string; type: string; count: number }>(
    `SELECT ${BUCKET_DAY[bucket]} AS day, type, COUNT(*) AS count FROM events${where} GROUP BY day, type`, ...(itemId === undefined ? [] : [itemId]),
  );
  return inBucketOrder(rows.map((r) => ({ start: bucketStartOfDay(r.day), type: r.type, count: r.count })));
}
