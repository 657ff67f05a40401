import type { Credit, Item, ItemId } from '../core/types.js';
import type { Store } from '../storage/store.js';

/** What one recall channel said about a candidate. */
export interface ChannelScore {
  score: number;
  /** 0-based position in the channel's own list. */
  rank: number;
  /**
   * What the channel's evidence is, for the reasons: usually the channel's name; the main model's channel says
   * 'hybrid' or 'semantic' or 'popular' when that is the model, and a blended query says 'semantic' for the items
   * that did not reach the query's similarity floor.
   */
  as: string;
}

/**
 * A candidate moving through the pipeline: every channel that recalled it with its score and rank, and, once fused,
 * the channel that placed it. Reasons are not part of it: the explain stage builds them last, from this provenance.
 */
export interface Candidate {
  itemId: ItemId;
  /** Per recall channel (config name: cf, popular, ...): score and rank in that channel's list. */
  scores: Record<string, ChannelScore>;
  /** The channel whose list placed the item (set by fusion; before it, the first channel that found it). */
  via: string;
  /** The fused score (today: the placing channel's own score). */
  score: number;
  /** The item record, set by the filter stage. */
  item?: Item;
  /** Set by the diversity stage on an item it moved up for variety (the reasons say so). */
  variety?: boolean;
  /** Set by the long-tail stage on a less-known item it brought into the shown list from below it. */
  lessKnown?: boolean;
  /**
   * The history items the placing channel's model credits for this item (the largest first, at most a few), set by the
   * explain stage on each shown item. A cached list keeps them: the same model and history credit the same items, so
   * serving the list again needs no model explanation (for ALS, a fold-in of the user's history).
   */
  because?: Credit[];
}

/**
 * A channel's ranked list as candidates, each carrying that channel's score and rank.
 *
 * @example fromChannel('popular', [{ itemId: 'a', score: 12 }]) // [{ itemId: 'a', via: 'popular', score: 12, scores: { popular: { score: 12, rank: 0, as: 'popular' } } }]
 */
export function fromChannel(channel: string, ranked: Array<{ itemId: ItemId; score: number; as?: string }>): Candidate[] {
  return ranked.map((r, rank) => ({
    itemId: r.itemId, via: channel, score: r.score, scores: { [channel]: { score: r.score, rank, as: r.as ?? channel } },
  }));
}

/** The label the reasons speak for: what the placing channel's evidence is. */
export function evidenceOf(c: Candidate): string {
  return c.scores[c.via]?.as ?? c.via;
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
 * catalogue, not hidden, not expired, and accepted by `keep` when given. One store read for the whole list.
 *
 * @example const shown = await keepAvailable(store, candidates, clock.now(), excluded, compileFilter('price < 50'))
 */
export async function keepAvailable<T extends { itemId: ItemId }>(
  store: Store, list: T[], nowMs: number, blocked: ReadonlySet<ItemId> = new Set(), keep?: (item: Item) => boolean,
): Promise<Array<T & { item: Item }>> {
  const lookup = await loadItemMap(store, list.filter((c) => !blocked.has(c.itemId)).map((c) => c.itemId));
  return list.flatMap((c) => {
    const item = blocked.has(c.itemId) ? undefined : lookup.get(c.itemId);
    return item && isAvailable(item, nowMs) && (!keep || keep(item)) ? [{ ...c, item }] : [];
  });
}
