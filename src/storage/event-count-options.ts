import { EngineError } from '../core/errors.js';
import { bucketStart, isTimeBucket, type TimeBucket } from '../core/time-buckets.js';
import type { EventBucketCount, EventCountsOptions, EventSpan } from './store.js';

/**
 * Checked eventCounts()/eventSpan() options, the same in every adapter: INVALID_INPUT naming `/bucket` or `/itemId`.
 *
 * @example eventCountsOptions({ bucket: 'week' }) // { bucket: 'week', itemId: undefined }
 */
export function eventCountsOptions(opts: EventCountsOptions): { bucket: TimeBucket; itemId?: string } {
  if (!isTimeBucket(opts.bucket)) throw new EngineError('INVALID_INPUT', 'bucket must be day, week or month', { path: '/bucket' });
  return { bucket: opts.bucket, itemId: eventSpanOptions(opts).itemId };
}

/** Checked eventSpan() options. */
export function eventSpanOptions(opts: { itemId?: unknown }): { itemId?: string } {
  const { itemId } = opts;
  if (itemId !== undefined && (typeof itemId !== 'string' || itemId.length === 0)) throw new EngineError('INVALID_INPUT', 'itemId must be a non-empty string', { path: '/itemId' });
  return { itemId };
}

/** Milliseconds of a UTC day: the SQL adapters group by `ts - floor-mod(ts, DAY_MS)`, integer arithmetic only. */
export const DAY_MS = 86_400_000;

/**
 * Per-day counts (epoch ms of the day's midnight UTC) rolled up into `bucket` rows: the SQL adapters group events by
 * day (cheap integer arithmetic, a third faster than calendar functions on SQLite), and weeks and months are unions
 * of whole days, so this rolls up aggregate rows, never events.
 *
 * @example rollUpDays([{ day: 0, type: 'view', count: 2 }], 'month') // [{ start: '1970-01-01T00:00:00.000Z', type: 'view', count: 2 }]
 */
export function rollUpDays(rows: readonly { day: number; type: string; count: number }[], bucket: TimeBucket): EventBucketCount[] {
  const out = new Map<string, EventBucketCount>();
  for (const r of rows) {
    const start = new Date(bucketStart(r.day, bucket)).toISOString();
    const key = `${start} ${r.type}`;
    const row = out.get(key);
    if (row) row.count += r.count;
    else out.set(key, { start, type: r.type, count: r.count });
  }
  return inBucketOrder([...out.values()]);
}

/** Rows in the order of the Store contract (start, then type by code unit), whatever the database's collation. */
export function inBucketOrder(rows: EventBucketCount[]): EventBucketCount[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => cmp(a.start, b.start) || cmp(a.type, b.type));
}

/** The span of `events` events between two epoch-ms times, or undefined when there are none. */
export function spanOf(row: { first: number | null; last: number | null; events: number } | undefined): EventSpan | undefined {
  if (!row || row.events === 0 || row.first === null || row.last === null) return undefined;
  return { first: new Date(row.first).toISOString(), last: new Date(row.last).toISOString(), events: row.events };
}
