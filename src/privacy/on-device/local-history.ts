import type { SparseRow } from '../../core/sparse.js';

/** One consumed item of a history kept on the device; `weight` defaults to 1 (e.g. a rating or an event weight). */
export interface LocalHistoryEntry {
  itemId: string;
  weight?: number;
}

/**
 * The history row a model scores: known items only (unknown ids are dropped), repeated ids summed, sorted by item
 * index. The server (`engine.scoreHistory`) and the client (`kindred/on-device`) both build rows with this one
 * function, so a fold-in adds the same terms in the same order on both sides and the floats agree exactly.
 *
 * @example historyRowOf([{ itemId: 'a', weight: 2 }], (id) => ids.get(id))
 */
export function historyRowOf(history: readonly LocalHistoryEntry[], indexOf: (itemId: string) => number | undefined): SparseRow {
  const weights = new Map<number, number>();
  for (const entry of history) {
    const index = indexOf(entry.itemId);
    if (index === undefined) continue;
    const w = entry.weight ?? 1;
    if (!Number.isFinite(w)) throw new RangeError('history weights must be finite numbers');
    weights.set(index, (weights.get(index) ?? 0) + w);
  }
  const indices = Int32Array.from([...weights.keys()].sort((a, b) => a - b));
  return { indices, values: Float32Array.from(indices, (i) => weights.get(i) ?? 0) };
}
