import { eventWeight } from '../config/event-weight.js';
import type { EventTypeConfig } from '../config/schema.js';
import type { IdLookup } from '../core/ids.js';
import type { SparseRow } from '../core/sparse.js';
import type { ItemId, StoredEvent } from '../core/types.js';
import type { EventTone, ToneWeight } from '../care/review-tone.js';
import { NO_EMPHASIS, recencyDecay, recencyMultipliers, type RecentEmphasis } from './recent-emphasis.js';

/** The event type of an explicit "show less like this" on an item (negative: its neighbours are demoted). */
export const SHOW_LESS = 'show_less';

/**
 * What one request knows about a user, built from their most recent events: the history row the models fold in
 * (so feedback counts at once, without retraining), the items already consumed, and explicit negative feedback.
 */
export interface LiveProfile {
  /** Positive history over the trained item index (weights summed per item). */
  row: SparseRow;
  /** The newest `emphasis.events` positive events only, weighted by recency (empty when `events` is 0). */
  recentRow: SparseRow;
  /** Item ids of the positive history, most recent first (for explanations and sequential models). */
  recentItems: ItemId[];
  /** Every item the user interacted with positively (excluded from lists by default). */
  consumed: Set<ItemId>;
  /** Items marked dislike / not interested. */
  negatives: Set<ItemId>;
  /**
   * Items whose neighbours the user wants less of, with a strength in 0..1 (1 for an explicit "show less like this");
   * a clearly negative review of the item adds it with a strength from how negative the text is.
   */
  lessLike: Map<ItemId, number>;
  /** Number of events considered. */
  events: number;
  /** The type of the latest positive event per consumed item ('rating', 'purchase'...): reasons say what the user did. */
  typeOf: Map<ItemId, string>;
  /** When the newest positive event happened (ms since epoch); undefined for a history known without times. */
  newestMs?: number;
}

/**
 * The tone of the user's newest review of each item (history newest first; events without text or score skipped).
 */
function itemTones(history: StoredEvent[], tone: EventTone): Map<ItemId, ToneWeight> {
  const out = new Map<ItemId, ToneWeight>();
  for (const e of history) {
    if (out.has(e.itemId) || !e.text) continue;
    const t = tone(e);
    if (t) out.set(e.itemId, t);
  }
  return out;
}

/**
 * `history` comes newest first (as Store.history returns it). Each positive event's weight is its event-type weight
 * times its recency multiplier (`emphasis`, see recent-emphasis.ts), summed per item. With `tone` (care/review-tone.ts),
 * the user's newest review of an item sets its tone: a clearly negative one keeps the item out of the positive row
 * (consumed, never a like) and puts it in `lessLike`; a warm one multiplies the item's weights.
 *
 * @example const p = buildLiveProfile(await store.history(uid, { limit: 500 }), model.items, config.events.types, { share: 0, halfLife: 1, events: 3 })
 */
export function buildLiveProfile(
  history: StoredEvent[], items: IdLookup | undefined, types: Record<string, EventTypeConfig>, emphasis: RecentEmphasis = NO_EMPHASIS,
  tone?: EventTone,
): LiveProfile {
  const consumed = new Set<ItemId>();
  const negatives = new Set<ItemId>();
  const lessLike = new Map<ItemId, number>();
  const tones = tone ? itemTones(history, tone) : undefined;
  const recentItems: ItemId[] = [];
  const typeOf = new Map<ItemId, string>();
  const positive: Array<{ idx: number; w: number }> = [];
  let newestMs: number | undefined;
  for (const e of history) {
    const w = eventWeight(e.type, e.value, types);
    if (w === 'negative') {
      negatives.add(e.itemId);
      if (e.type === SHOW_LESS) lessLike.set(e.itemId, 1);
      continue;
    }
    if (w <= 0) continue; // impressions: shown, not chosen
    const factor = tones?.get(e.itemId)?.factor ?? 1;
    if (factor <= 0) {
      consumed.add(e.itemId);
      lessLike.set(e.itemId, tones?.get(e.itemId)?.lessLike ?? 0);
      continue;
    }
    newestMs ??= Date.parse(e.timestamp);
    if (!consumed.has(e.itemId)) {
      recentItems.push(e.itemId);
      typeOf.set(e.itemId, e.type);
    }
    consumed.add(e.itemId);
    const idx = items?.indexOf(e.itemId);
    if (idx !== undefined) positive.push({ idx, w: w * factor });
  }
  const { row, recentRow } = historyRows(positive, emphasis);
  return { row, recentRow, recentItems, consumed, negatives, lessLike, events: history.length, typeOf, newestMs };
}

/** The folded-in row and the short-term row of positive events given newest first (item index, weight). */
function historyRows(positive: Array<{ idx: number; w: number }>, emphasis: RecentEmphasis): { row: SparseRow; recentRow: SparseRow } {
  const weights = new Map<number, number>();
  const multipliers = recencyMultipliers(positive.map((p) => p.w), emphasis);
  positive.forEach((p, n) => weights.set(p.idx, (weights.get(p.idx) ?? 0) + p.w * multipliers[n]));
  const recent = new Map<number, number>();
  positive.slice(0, emphasis.events).forEach((p, n) => recent.set(p.idx, (recent.get(p.idx) ?? 0) + p.w * recencyDecay(n, emphasis.halfLife)));
  // Sequential models read the row in chronological order: oldest first.
  const order = [...weights.keys()].reverse();
  const row: SparseRow = { indices: Int32Array.from(order), values: Float32Array.from(order.map((i) => weights.get(i) ?? 0)) };
  const recentOrder = [...recent.keys()].reverse();
  const recentRow: SparseRow = { indices: Int32Array.from(recentOrder), values: Float32Array.from(recentOrder.map((i) => recent.get(i) ?? 0)) };
  return { row, recentRow };
}

/**
 * The live profile of a user known only by a history row in time order (oldest first), as training and evaluation
 * see users: the same rows, recent items and short-term row a request would build from those events, so the channels
 * that read them (item-to-item, the short-term slot) work offline as they do live.
 *
 * @example const p = liveProfileFromRow({ indices: Int32Array.of(4, 9), values: Float32Array.of(1, 1) }, items, emphasis)
 */
export function liveProfileFromRow(history: SparseRow, items: IdLookup, emphasis: RecentEmphasis = NO_EMPHASIS): LiveProfile {
  const positive: Array<{ idx: number; w: number }> = [];
  for (let p = history.indices.length - 1; p >= 0; p--) positive.push({ idx: history.indices[p], w: history.values[p] });
  const recentItems = positive.map((p) => items.idAt(p.idx));
  const { row, recentRow } = historyRows(positive, emphasis);
  return { row, recentRow, recentItems, consumed: new Set(recentItems), negatives: new Set(), lessLike: new Map(), events: positive.length, typeOf: new Map() };
}
