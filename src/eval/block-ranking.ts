import type { BlockScorer } from '../models/model.js';

/**
 * One full-ranking job in flat typed arrays, so worker threads can share it (over SharedArrayBuffers) instead of
 * copying it: who to rank, what to hide from each, and where each top-k list goes.
 */
export interface BlockRankTask {
  /** Trained user indexes to rank, in output order. */
  users: Int32Array;
  /** List length. */
  k: number;
  /** Row pointers (users.length + 1) into `excludeItems`: position p's hidden items. */
  excludeStart: Int32Array;
  excludeItems: Int32Array;
  /** users.length × k: position p's list in its first `lengths[p]` slots. */
  lists: Int32Array;
  lengths: Int32Array;
}

/** Builds a task's arrays, in SharedArrayBuffers when `shared` (for workers), else ordinary ones. */
export function blockRankTask(users: Int32Array, k: number, exclude: (user: number) => Int32Array, shared: boolean): BlockRankTask {
  const alloc = (n: number): Int32Array => (shared ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n));
  const hidden = Array.from(users, (u) => exclude(u));
  const excludeStart = alloc(users.length + 1);
  for (let p = 0; p < users.length; p++) excludeStart[p + 1] = excludeStart[p] + hidden[p].length;
  const excludeItems = alloc(excludeStart[users.length]);
  hidden.forEach((items, p) => excludeItems.set(items, excludeStart[p]));
  const sharedUsers = alloc(users.length);
  sharedUsers.set(users);
  return { users: sharedUsers, k, excludeStart, excludeItems, lists: alloc(users.length * k), lengths: alloc(users.length) };
}

/**
 * Rows per block so one block of scores (rows × items float32) fits `budgetBytes`; at least one row.
 *
 * @example blockRows(100_000, 32 * 2 ** 20) // 83
 */
export function blockRows(items: number, budgetBytes: number): number {
  return Math.max(1, Math.floor(budgetBytes / (4 * Math.max(1, items))));
}

/**
 * Ranks task positions [start, end): scores them in one block, hides each user's excluded items (set to −∞, which
 * no floor keeps) and writes the top-k of each row above the scorer's floor, ties to the lower item as recommend()
 * breaks them (topK's rule, in a loop specialised for long rows). `scratch` holds at least (end − start) × items floats.
 *
 * @example rankBlock(model.blockScorer(), task, 0, 64, new Float32Array(64 * items))
 */
export function rankBlock(scorer: BlockScorer, task: BlockRankTask, start: number, end: number, scratch: Float32Array): void {
  const n = scorer.items;
  const { k, excludeStart, excludeItems, lists, lengths } = task;
  scorer.scoreBlock(task.users.subarray(start, end), scratch);
  const heapIndex = new Int32Array(k);
  const heapScore = new Float64Array(k);
  for (let p = start; p < end; p++) {
    const base = (p - start) * n;
    for (let q = excludeStart[p]; q < excludeStart[p + 1]; q++) {
      const item = excludeItems[q];
      if (item >= 0 && item < n) scratch[base + item] = -Infinity;
    }
    lengths[p] = rowTopK(scratch, base, n, scorer.above, heapIndex, heapScore, lists.subarray(p * k, (p + 1) * k));
  }
}

/**
 * The top-k of row scores[base, base + n) strictly above `above`, best first, into `out`; returns how many. The same
 * list as models/topk.ts's topK (ties to the lower index; NaN never kept), specialised for long rows: a full heap
 * is only touched by a score strictly above its worst (an equal score comes later in the scan, so it has the higher
 * index and loses the tie), so most of a 100k-item row costs one comparison per item.
 */
function rowTopK(scores: Float32Array, base: number, n: number, above: number, idx: Int32Array, val: Float64Array, out: Int32Array): number {
  const k = out.length;
  let size = 0;
  let floor = above;
  for (let i = 0; i < n; i++) {
    const s = scores[base + i];
    if (!(s > floor)) continue;
    if (size < k) {
      // sift up: the root is the worst (lowest score, then highest index)
      let c = size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (!(s < val[parent] || (s === val[parent] && i > idx[parent]))) break;
        idx[c] = idx[parent];
        val[c] = val[parent];
        c = parent;
      }
      idx[c] = i;
      val[c] = s;
      if (size === k) floor = Math.max(above, val[0]);
      continue;
    }
    // replace the root and sift down
    let c = 0;
    for (;;) {
      const left = 2 * c + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && (val[right] < val[left] || (val[right] === val[left] && idx[right] > idx[left]))) child = right;
      if (!(val[child] < s || (val[child] === s && idx[child] > i))) break;
      idx[c] = idx[child];
      val[c] = val[child];
      c = child;
    }
    idx[c] = i;
    val[c] = s;
    floor = Math.max(above, val[0]);
  }
  const order = Array.from({ length: size }, (_, j) => j).sort((a, b) => val[b] - val[a] || idx[a] - idx[b]);
  for (let r = 0; r < size; r++) out[r] = idx[order[r]];
  return size;
}

/** The task's lists as one Int32Array per position. */
export function taskLists(task: BlockRankTask): Int32Array[] {
  return Array.from({ length: task.users.length }, (_, p) => task.lists.slice(p * task.k, p * task.k + task.lengths[p]));
}
