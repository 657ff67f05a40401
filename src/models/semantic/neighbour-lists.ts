import type { Scored } from '../../core/types.js';

/** One item's nearest neighbours, best first: always a correct prefix of its full neighbour order. */
export interface NeighbourList {
  labels: Int32Array;
  scores: Float32Array;
  /** True when the list holds every other item (the catalogue was smaller than the list size). */
  complete: boolean;
}

export interface NeighbourListsOptions {
  /** The k nearest items to `item`, best first, never `item` itself. */
  search: (item: number, k: number) => Scored[];
  /** Neighbours kept per item (default 100). */
  listSize?: number;
  /** Lists kept at most; the oldest are dropped first (default 100,000). */
  maxLists?: number;
}

/**
 * Item-to-item neighbour lists computed on first use and kept, so recalling for a long history costs one lookup per
 * history item instead of one index search. The items never change (a trained space is immutable); items added
 * after training are merged into a list when it is read (`mergeIntoList`), so kept lists serve every served state.
 *
 * @example const lists = new NeighbourLists({ search, similarity }); lists.of(42).labels // 42's nearest items
 */
export class NeighbourLists {
  readonly listSize: number;
  private readonly maxLists: number;
  private readonly lists = new Map<number, NeighbourList>();

  constructor(private readonly opts: NeighbourListsOptions) {
    this.listSize = opts.listSize ?? 100;
    this.maxLists = opts.maxLists ?? 100_000;
  }

  /** The neighbour list of an item, computing it on first use. */
  of(item: number): NeighbourList {
    const kept = this.lists.get(item);
    if (kept) return kept;
    const found = this.opts.search(item, this.listSize);
    const list: NeighbourList = {
      labels: Int32Array.from(found, (s) => s.index),
      scores: Float32Array.from(found, (s) => s.score),
      complete: found.length < this.listSize,
    };
    if (this.lists.size >= this.maxLists) {
      const oldest = this.lists.keys().next();
      if (!oldest.done) this.lists.delete(oldest.value);
    }
    this.lists.set(item, list);
    return list;
  }

  /** Number of lists kept. */
  get size(): number {
    return this.lists.size;
  }
}

/** Inserts (label, score) where it belongs when it falls within the known prefix; trims to `size`. */
function insertLabel(list: NeighbourList, label: number, score: number, size: number): NeighbourList {
  const n = list.labels.length;
  const lastScore = n > 0 ? list.scores[n - 1] : -Infinity;
  // beyond the prefix we know nothing, so an item scoring below the last kept one cannot be placed
  if (!list.complete && !(score > lastScore)) return list;
  let at = 0;
  while (at < n && (list.scores[at] > score || (list.scores[at] === score && list.labels[at] < label))) at++;
  const labels = new Int32Array(n + 1);
  const scores = new Float32Array(n + 1);
  labels.set(list.labels.subarray(0, at));
  scores.set(list.scores.subarray(0, at));
  labels[at] = label;
  scores[at] = score;
  labels.set(list.labels.subarray(at), at + 1);
  scores.set(list.scores.subarray(at), at + 1);
  if (n + 1 <= size) return { labels, scores, complete: list.complete };
  return { labels: labels.subarray(0, size), scores: scores.subarray(0, size), complete: false };
}

/**
 * A list with more items merged in by their exact score (each must not be in the list already): the result stays a
 * correct prefix of the full neighbour order. Beyond an incomplete list's last score nothing is known, so an extra
 * item scoring below it cannot be placed and is left out.
 *
 * @example mergeIntoList(lists.of(7), [{ index: 1001, score: 0.93 }], lists.listSize)
 */
export function mergeIntoList(list: NeighbourList, extra: readonly Scored[], size: number): NeighbourList {
  let out = list;
  const placeable = list.complete ? [...extra] : extra.filter((e) => list.labels.length === 0 || e.score > list.scores[list.labels.length - 1]);
  placeable.sort((a, b) => b.score - a.score || a.index - b.index);
  for (const e of placeable) out = insertLabel(out, e.index, e.score, size);
  return out;
}
