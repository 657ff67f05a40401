/**
 * Beyond-accuracy metrics about WHICH items get recommended: coverage, exposure inequality, novelty, popularity bias.
 * `lists` are the users' ranked item indexes; only the first k of each count.
 */

/**
 * How often each item appears in the top k of all lists.
 *
 * @example exposureCounts([Int32Array.of(0, 1), Int32Array.of(1, 2)], 3, 2) // Float64Array [1, 2, 1]
 */
export function exposureCounts(lists: readonly ArrayLike<number>[], nItems: number, k: number): Float64Array {
  const counts = new Float64Array(nItems);
  for (const list of lists) for (let i = 0; i < Math.min(k, list.length); i++) counts[list[i]]++;
  return counts;
}

/**
 * Catalogue coverage@K = distinct items in any top-k list / all items.
 *
 * @example catalogueCoverage([Int32Array.of(0, 1), Int32Array.of(1, 2)], 4, 2) // 3/4
 */
export function catalogueCoverage(lists: readonly ArrayLike<number>[], nItems: number, k: number): number {
  if (nItems === 0) return 0;
  let distinct = 0;
  for (const c of exposureCounts(lists, nItems, k)) if (c > 0) distinct++;
  return distinct / nItems;
}

/**
 * Gini index of item exposure over the whole catalogue (items never shown count as 0): with counts sorted ascending
 * x_1..x_n, G = Σ_i (2i − n − 1)·x_i / (n·Σ x). 0 = every item shown equally; (n−1)/n = one item gets everything.
 *
 * @example giniIndex([0, 0, 0, 4]) // 0.75
 */
export function giniIndex(exposure: ArrayLike<number>): number {
  const n = exposure.length;
  const x = Float64Array.from(exposure).sort();
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += x[i];
    weighted += (2 * (i + 1) - n - 1) * x[i];
  }
  return total === 0 ? 0 : weighted / (n * total);
}

/**
 * Novelty of one list: mean self-information −log2(p_i) of its top-k items, where p_i = max(n_i, 1) / #users and
 * n_i = training users who interacted with item i (an item nobody trained on counts as seen once).
 *
 * @example listNovelty(Int32Array.of(0, 1), Int32Array.of(4, 1), 8, 2) // (1 + 3) / 2 = 2
 */
export function listNovelty(list: ArrayLike<number>, itemUsers: ArrayLike<number>, nUsers: number, k: number): number {
  const m = Math.min(k, list.length);
  if (m === 0 || nUsers === 0) return 0;
  let sum = 0;
  for (let i = 0; i < m; i++) sum -= Math.log2(Math.max(itemUsers[list[i]], 1) / nUsers);
  return sum / m;
}

/**
 * Average recommendation popularity of one list: mean number of training users of its top-k items (ARP).
 *
 * @example listPopularity(Int32Array.of(0, 1), Int32Array.of(4, 1), 2) // 2.5
 */
export function listPopularity(list: ArrayLike<number>, itemUsers: ArrayLike<number>, k: number): number {
  const m = Math.min(k, list.length);
  if (m === 0) return 0;
  let sum = 0;
  for (let i = 0; i < m; i++) sum += itemUsers[list[i]];
  return sum / m;
}

/**
 * Which items are in the long tail: every item outside the head, the head being the most popular items that together
 * hold `headShare` of the training interactions (the 80/20 rule by default; ties in popularity go to the lower index).
 * Items nobody trained on are in the tail.
 *
 * @example longTailItems(Int32Array.of(6, 2, 1, 1), 0.8) // Uint8Array [0, 0, 1, 1]: 6 + 2 = 8 of 10 is the head
 */
export function longTailItems(itemUsers: ArrayLike<number>, headShare = 0.8): Uint8Array {
  const n = itemUsers.length;
  const tail = new Uint8Array(n).fill(1);
  let total = 0;
  for (let i = 0; i < n; i++) total += itemUsers[i];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => itemUsers[b] - itemUsers[a] || a - b);
  let held = 0;
  for (const i of order) {
    if (total === 0 || held >= headShare * total) break;
    tail[i] = 0;
    held += itemUsers[i];
  }
  return tail;
}

/**
 * Long-tail share of one list (APLT, Abdollahpouri et al. 2019): the share of its top-k items that are in the long
 * tail (`tail` from longTailItems).
 *
 * @example listLongTailShare(Int32Array.of(0, 2, 3), Uint8Array.of(0, 0, 1, 1), 3) // 2/3
 */
export function listLongTailShare(list: ArrayLike<number>, tail: Uint8Array, k: number): number {
  const m = Math.min(k, list.length);
  if (m === 0) return 0;
  let n = 0;
  for (let i = 0; i < m; i++) n += tail[list[i]] ?? 0;
  return n / m;
}
