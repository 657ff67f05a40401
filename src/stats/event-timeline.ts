/**
 * Events over time for the dashboard: the store's counts per calendar bucket (grouped in the store), laid out as one
 * bucket per day, week or month from the oldest to the newest event, empty buckets included.
 */
import { IMPRESSION } from '../care/engagement.js';
import { EngineError } from '../core/errors.js';
import { bucketCount, bucketStart, finestBucket, nextBucketStart, type TimeBucket } from '../core/time-buckets.js';
import type { ItemId } from '../core/types.js';
import type { Store } from '../storage/store.js';

/** Without a bucket asked for, the finest of day, week and month giving at most this many buckets. */
export const AUTO_MAX_BUCKETS = 400;
/** A bucket asked for may not give more than this many (a daily chart of centuries): INVALID_INPUT instead. */
export const MAX_BUCKETS = 20_000;

export interface EventTimelineBucket {
  /** ISO-8601 start of the bucket (UTC midnight; weeks start on Monday, months on the 1st). */
  start: string;
  count: number;
  /** Event type -> count; types without events in the bucket are left out. */
  byType: Record<string, number>;
}

/** GET /v1/stats/events. */
export interface EventTimeline {
  bucket: TimeBucket;
  /** Oldest first, one per bucket from the oldest to the newest stored event; empty when there are no events. */
  buckets: EventTimelineBucket[];
}

export interface ItemExposureBucket {
  start: string;
  /** `impression` events: times the item was shown. */
  impressions: number;
  /** Every other event on the item (views, clicks, ratings, feedback...). */
  events: number;
  byType: Record<string, number>;
}

/** GET /v1/items/{id}/exposure. */
export interface ItemExposure {
  itemId: ItemId;
  bucket: TimeBucket;
  /** From the item's first to its last event. */
  buckets: ItemExposureBucket[];
}

/**
 * Events per bucket, of the whole store or of one item, over its oldest..newest event. Without `bucket`, the finest
 * giving at most AUTO_MAX_BUCKETS.
 *
 * @example await eventTimeline(store, {}) // { bucket: 'day', buckets: [{ start: '1997-09-20T00:00:00.000Z', count: 412, byType: { rating: 412 } }, ...] }
 */
export async function eventTimeline(store: Store, opts: { bucket?: TimeBucket; itemId?: ItemId }): Promise<EventTimeline> {
  const span = await store.eventSpan({ itemId: opts.itemId });
  if (!span) return { bucket: opts.bucket ?? 'day', buckets: [] };
  const first = Date.parse(span.first);
  const last = Date.parse(span.last);
  const bucket = opts.bucket ?? finestBucket(first, last, AUTO_MAX_BUCKETS);
  const n = bucketCount(first, last, bucket);
  if (opts.bucket !== undefined && n > MAX_BUCKETS) {
    throw new EngineError('INVALID_INPUT', `bucket ${bucket} gives ${n} buckets over the events' time span (at most ${MAX_BUCKETS}): choose a coarser one`, {
      in: 'querystring', path: '/bucket', buckets: n, limit: MAX_BUCKETS,
    });
  }
  const byStart = new Map<number, EventTimelineBucket>();
  for (let start = bucketStart(first, bucket); start <= last; start = nextBucketStart(start, bucket)) {
    byStart.set(start, { start: new Date(start).toISOString(), count: 0, byType: {} });
  }
  for (const row of await store.eventCounts({ bucket, itemId: opts.itemId })) {
    // Events written after the span was read may fall outside it: they wait for the next request.
    const b = byStart.get(Date.parse(row.start));
    if (!b) continue;
    b.count += row.count;
    b.byType[row.type] = (b.byType[row.type] ?? 0) + row.count;
  }
  return { bucket, buckets: [...byStart.values()] };
}

/**
 * An item's impressions and other events per bucket over its own first..last event; NOT_FOUND for an unknown item.
 *
 * @example await itemExposure(store, 'i7', 'week') // { itemId: 'i7', bucket: 'week', buckets: [{ start, impressions: 12, events: 3, byType: { impression: 12, click: 3 } }] }
 */
export async function itemExposure(store: Store, itemId: ItemId, bucket?: TimeBucket): Promise<ItemExposure> {
  const [item] = await store.getItems([itemId]);
  if (!item) throw new EngineError('NOT_FOUND', 'unknown item', { id: itemId });
  const timeline = await eventTimeline(store, { bucket, itemId });
  return {
    itemId,
    bucket: timeline.bucket,
    buckets: timeline.buckets.map(({ start, count, byType }) => {
      const impressions = byType[IMPRESSION] ?? 0;
      return { start, impressions, events: count - impressions, byType };
    }),
  };
}
