/** Store.eventSpan / eventCounts for the memory store: the same buckets as the SQL adapters, counted in JS. */
import { bucketStart } from '../../core/time-buckets.js';
import { eventCountsOptions, eventSpanOptions, inBucketOrder, spanOf } from '../event-count-options.js';
import type { EventBucketCount, EventCountsOptions, EventSpan } from '../store.js';
import type { EventIndex, IndexedEvent } from './event-index.js';

function selected(events: EventIndex, itemId: string | undefined): readonly IndexedEvent[] {
  return itemId === undefined ? events.inOrder() : events.ofItem(itemId);
}

export function eventSpan(events: EventIndex, opts: { itemId?: string } = {}): EventSpan | undefined {
  const rows = selected(events, eventSpanOptions(opts).itemId);
  let first = Infinity;
  let last = -Infinity;
  for (const x of rows) {
    first = Math.min(first, x.ms);
    last = Math.max(last, x.ms);
  }
  return spanOf({ first: rows.length > 0 ? first : null, last: rows.length > 0 ? last : null, events: rows.length });
}

export function eventCounts(events: EventIndex, opts: EventCountsOptions): EventBucketCount[] {
  const { bucket, itemId } = eventCountsOptions(opts);
  const counts = new Map<string, EventBucketCount>();
  for (const x of selected(events, itemId)) {
    const start = new Date(bucketStart(x.ms, bucket)).toISOString();
    const key = `${start} ${x.event.type}`;
    const row = counts.get(key);
    if (row) row.count++;
    else counts.set(key, { start, type: x.event.type, count: 1 });
  }
  return inBucketOrder([...counts.values()]);
}
