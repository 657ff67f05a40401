/**
 * Calendar buckets in UTC for counts over time: a day starts at midnight, a week on Monday (ISO 8601), a month on
 * its first day. Shared by the stores (the memory store buckets in JS, the SQL stores in SQL) and the engine, which
 * fills the empty buckets between the first and the last event.
 */

export const TIME_BUCKETS = ['day', 'week', 'month'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];

const DAY_MS = 86_400_000;

/** True for 'day', 'week' and 'month'. */
export function isTimeBucket(v: unknown): v is TimeBucket {
  return typeof v === 'string' && (TIME_BUCKETS as readonly string[]).includes(v);
}

/**
 * Epoch ms of the start of the bucket holding `ms`.
 *
 * @example new Date(bucketStart(Date.parse('2024-01-03T10:00:00Z'), 'week')).toISOString() // '2024-01-01T00:00:00.000Z' (a Monday)
 */
export function bucketStart(ms: number, bucket: TimeBucket): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  if (bucket === 'day') return day;
  if (bucket === 'week') {
    const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
    return day - weekday * DAY_MS;
  }
  const d = new Date(day);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Epoch ms of the start of the bucket after the one starting at `start`. */
export function nextBucketStart(start: number, bucket: TimeBucket): number {
  if (bucket === 'day') return start + DAY_MS;
  if (bucket === 'week') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * How many buckets cover `first`..`last` (both included), counted without listing them.
 *
 * @example bucketCount(Date.parse('2024-01-31T00:00:00Z'), Date.parse('2024-02-01T00:00:00Z'), 'month') // 2
 */
export function bucketCount(first: number, last: number, bucket: TimeBucket): number {
  const a = bucketStart(first, bucket);
  const b = bucketStart(last, bucket);
  if (bucket === 'day') return Math.round((b - a) / DAY_MS) + 1;
  if (bucket === 'week') return Math.round((b - a) / (7 * DAY_MS)) + 1;
  const da = new Date(a);
  const db = new Date(b);
  return (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + db.getUTCMonth() - da.getUTCMonth() + 1;
}

/**
 * The finest bucket giving at most `max` buckets over `first`..`last`; 'month' when even months are more.
 *
 * @example finestBucket(Date.parse('1997-09-20T00:00:00Z'), Date.parse('1998-04-22T00:00:00Z'), 400) // 'day'
 */
export function finestBucket(first: number, last: number, max: number): TimeBucket {
  return TIME_BUCKETS.find((b) => bucketCount(first, last, b) <= max) ?? 'month';
}
