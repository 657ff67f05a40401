import type { Scored } from '../../core/types.js';
import { topK } from '../topk.js';

/**
 * Fills a recall list that came back short from the released (noisy) item counts: the most popular items not in the
 * list and not excluded, after it, with positive scores strictly below the list's last score, descending. At small ε
 * the private similarities keep few pairs and many users would get a short or empty list; private popularity is
 * released with the same budget, so using it costs no further privacy (post-processing).
 *
 * @example fillFromCounts([{ index: 3, score: 0.4 }], counts, 10, exclude) // item 3, then 9 popular items below 0.4
 */
export function fillFromCounts(list: Scored[], counts: ArrayLike<number>, k: number, exclude?: ArrayLike<number>): Scored[] {
  const missing = k - list.length;
  if (missing <= 0) return list;
  const skip = [...list.map((s) => s.index), ...Array.from(exclude ?? [])];
  const extra = topK(counts, missing, { exclude: skip });
  const ceiling = list.length > 0 ? list[list.length - 1].score : 1;
  // ranks map into (0, ceiling): the released counts may be negative, only their order is used
  return [...list, ...extra.map((s, r) => ({ index: s.index, score: (ceiling * (extra.length - r)) / (extra.length + 1) }))];
}
