import type { SparseRow } from '../core/sparse.js';

/**
 * Places up to `quota` extra items (cold-start items) into a ranked list at evenly spaced positions, so new items get
 * seen without pushing the list's best matches off the top.
 *
 * @example interleave(['a','b','c','d'], ['x'], 1, 4) // ['a','b','x','c']
 */
export function interleave<T>(ranked: T[], extra: T[], quota: number, count: number): T[] {
  const take = extra.slice(0, Math.max(0, Math.min(quota, count)));
  const out = ranked.slice(0, count - take.length);
  const step = Math.max(1, Math.floor(count / (take.length + 1)));
  take.forEach((item, i) => out.splice(Math.min(out.length, (i + 1) * step - 1 + i), 0, item));
  return out.slice(0, count);
}

/** The part of a history row the collaborative models know: indexes below the number of trained items. */
export function restrictRow(row: SparseRow, trainedItems: number): SparseRow {
  const keep: number[] = [];
  row.indices.forEach((idx, p) => {
    if (idx < trainedItems) keep.push(p);
  });
  if (keep.length === row.indices.length) return row;
  return { indices: Int32Array.from(keep, (p) => row.indices[p]), values: Float32Array.from(keep, (p) => row.values[p]) };
}
