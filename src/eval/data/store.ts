import { eventWeight } from '../../config/event-weight.js';
import type { EventTypeConfig } from '../../config/schema.js';
import { EngineError } from '../../core/errors.js';
import type { Item } from '../../core/types.js';
import type { Store } from '../../storage/store.js';
import { RatingsTableBuilder, type RatingsTable } from './table.js';

export interface StoreDataset {
  table: RatingsTable;
  /** The catalogue records of the table's items (hidden and unknown items left out), by id. */
  items: Map<string, Item>;
}

/**
 * A Kindred store's event log as a ratings table, as training reads it: each positive event is one row whose rating
 * is the event's configured weight (a rating event's weight is its value, so "ratings >= 3" filters keep their
 * meaning); negative feedback and zero-weight events (impressions) are left out. Titles and categories come from
 * the stored items.
 *
 * @example const { table } = await readStoreDataset(store, config.events.types, 'my-shop')
 */
export async function readStoreDataset(store: Store, types: Record<string, EventTypeConfig>, name: string): Promise<StoreDataset> {
  const builder = new RatingsTableBuilder();
  for await (const batch of store.scanEvents({ batchSize: 10_000 })) {
    for (const e of batch) {
      const w = eventWeight(e.type, e.value, types);
      if (w === 'negative' || w <= 0) continue;
      builder.push(e.userId, e.itemId, w, Date.parse(e.timestamp) / 1000);
    }
  }
  if (builder.size === 0) {
    throw new EngineError('INVALID_INPUT', 'the store has no positive events to evaluate on: import events first, or pass --data <dataset>', { path: 'db' });
  }
  const items = new Map<string, Item>();
  for await (const batch of store.scanItems({ batchSize: 5_000 })) for (const it of batch) if (!it.hidden) items.set(it.id, it);
  const titles = new Map<string, string>();
  const categories = new Map<string, string[]>();
  for (const [id, it] of items) {
    if (it.title) titles.set(id, it.title);
    if (it.categories) categories.set(id, [...it.categories]);
  }
  return { table: builder.build(name, { titles, categories }), items };
}
