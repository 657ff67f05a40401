import { eventToneOf } from '../care/review-tone.js';
import type { KindredConfig } from '../config/config.js';
import type { SparseRow } from '../core/sparse.js';
import type { UserId } from '../core/types.js';
import { InteractionsBuilder } from '../models/interactions-builder.js';
import type { ModelBundle } from '../models/model-bundle.js';
import type { Store } from '../storage/store.js';

/**
 * The times of a user's trained cells (what a time-decayed model needs to take their terms out), rebuilt from their
 * stored events as training builds rows: the same event types, weights and review tone, over the bundle's item
 * indexes. Undefined unless the rebuilt row is exactly the trained one (same items, same weights): events stored
 * after the training, or on an item the bundle does not have, leave no way to tell which cells it saw.
 *
 * @example const times = await trainedTimes(store, config, bundle, 'u42', row); // Float64Array | undefined
 */
export async function trainedTimes(store: Store, config: KindredConfig, bundle: ModelBundle, userId: UserId, row: SparseRow): Promise<Float64Array | undefined> {
  const events = (await store.history(userId)).reverse(); // oldest first, as the training scan meets them
  const builder = new InteractionsBuilder({ items: bundle.items.ids().slice(0, bundle.trainedItems), users: [userId] });
  const tone = config.events.sentimentWeighting ? eventToneOf(config) : undefined;
  builder.addEvents(events, config.events.types, config.events.allowUnknownTypes, tone);
  const rebuilt = builder.build();
  const indices = rebuilt.matrix.rowIndices(0);
  const values = rebuilt.matrix.rowData(0);
  if (indices.length !== row.indices.length) return undefined;
  for (let p = 0; p < indices.length; p++) {
    if (indices[p] !== row.indices[p] || values[p] !== row.values[p]) return undefined;
  }
  return rebuilt.times?.slice(0, indices.length);
}
