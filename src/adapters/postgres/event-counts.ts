/** Store.eventSpan / eventCounts for PostgreSQL: one aggregate query each, grouped with date_trunc in SQL. */
import type { TimeBucket } from '../../core/time-buckets.js';
import { bucketStartOfDay, eventCountsOptions, eventSpanOptions, inBucketOrder, spanOf } from '../../storage/event-count-options.js';
import type { EventBucketCount, EventCountsOptions, EventSpan } from '../../storage/store.js';
import type { PgRunner } from './pool.js';

/** date_trunc's field per bucket: its weeks start on Monday (ISO 8601), as src/core/time-buckets.ts. */
const TRUNC_FIELD: Record<TimeBucket, string> = { day: 'day', week: 'week', month: 'month' };

export async function eventSpan(db: PgRunner, opts: { itemId?: string } = {}): Promise<EventSpan | undefined> {
  const { itemId } = eventSpanOptions(opts);
  const where = itemId === undefined ? '' : ' WHERE item_id = $1';
  const [row] = await db.prepared<{ first: number | null; last: number | null; events: number }>(
    `SELECT MIN(ts) AS first, MAX(ts) AS last, COUNT(*) AS events FROM events${where}`, itemId === undefined ? [] : [itemId],
  );
  return spanOf(row);
}

export async function eventCounts(db: PgRunner, opts: EventCountsOptions): Promise<EventBucketCount[]> {
  const { bucket, itemId } = eventCountsOptions(opts);
  const where = itemId === undefined ? '' : ' WHERE item_id = $1';
  // ts is epoch ms; AT TIME ZONE 'UTC' makes the calendar UTC whatever the session's time zone.
  const day = `to_char(date_trunc('${TRUNC_FIELD[bucket]}', to_timestamp(ts / 1000.0) AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
  const rows = await db.prepared<{ day: string; type: string; count: number }>(
    `SELECT ${day} AS day, type, COUNT(*) AS count FROM events${where} GROUP BY 1, 2`, itemId === undefined ? [] : [itemId],
  );
  return inBucketOrder(rows.map((r) => ({ start: bucketStartOfDay(r.day), type: r.type, count: r.count })));
}
