import type { Item, ItemId, Reason } from '../core/types.js';
import type { Store } from '../storage/store.js';

/** A candidate moving through the pipeline: which channel found it, with what score, and why. */
export interface Candidate {
  itemId: ItemId;
  score: number;
  channel: string;
  /**
   * History items that made the model propose this one, largest contribution first. `via: 'similar-items'` marks an
   * attribution made afterwards (the history item most like this one) for models whose score cannot be split.
   */
  because: Array<{ itemId: ItemId; weight: number; via?: 'similar-items' }>;
  /** Reasons that need no history (popular, cold start...). */
  reasons: Reason[];
  item?: Item;
}

/** True when the item may be shown at `nowMs`: not hidden, not expired. */
export function isAvailable(item: Item, nowMs: number): boolean {
  if (item.hidden) return false;
  if (item.expiresAt && Date.parse(item.expiresAt) <= nowMs) return false;
  return true;
}

/** The stored items with these ids (unknown ids left out), by id; one store read. */
export async function loadItemMap(store: Store, ids: ItemId[]): Promise<Map<ItemId, Item>> {
  const items = await store.getItems([...new Set(ids)]);
  return new Map(items.map((it) => [it.id, it]));
}

/**
 * The entries that may be shown at `nowMs`, in order, each with its item record: not blocked, still in the
 * catalogue, not hidden, not expired, and kept by the request's filter when there is one. One store read for the
 * whole list.
 *
 * @example const shown = await keepAvailable(store, candidates, clock.now(), excluded, compileFilter('price < 50'))
 */
export async function keepAvailable<T extends { itemId: ItemId }>(
  store: Store, list: T[], nowMs: number, blocked: ReadonlySet<ItemId> = new Set(), filter?: (item: Item) => boolean,
): Promise<Array<T & { item: Item }>> {
  const lookup = await loadItemMap(store, list.filter((c) => !blocked.has(c.itemId)).map((c) => c.itemId));
  return list.flatMap((c) => {
    const item = blocked.has(c.itemId) ? undefined : lookup.get(c.itemId);
    return item && isAvailable(item, nowMs) && (!filter || filter(item)) ? [{ ...c, item }] : [];
  });
}
