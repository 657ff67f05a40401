import type { BlockScorer } from '../models/model.js';
import { topK } from '../models/topk.js';

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
 * breaks them. `scratch` holds at least (end − start) × items floats.
 *
 * @example rankBlock(model.blockScorer(), task, 0, 64, new Float32Array(64 * items))
 */
export function rankBlock(scorer: BlockScorer, task: BlockRankTask, start: number, end: number, scratch: Float32Array): void {
  const n = scorer.items;
  const { k, excludeStart, excludeItems, lists, lengths } = task;
  scorer.scoreBlock(task.users.subarray(start, end), scratch);
  for (let p = start; p < end; p++) {
    const row = scratch.subarray((p - start) * n, (p - start + 1) * n);
    for (let q = excludeStart[p]; q < excludeStart[p + 1]; q++) {
      const item = excludeItems[q];
      if (item >= 0 && item < n) row[item] = -Infinity;
    }
    const top = topK(row, k, { above: scorer.above });
    for (let r = 0; r < top.length; r++) lists[p * k + r] = top[r].index;
    lengths[p] = top.length;
  }
}

/** The task's lists as one Int32Array per position. */
export function taskLists(task: BlockRankTask): Int32Array[] {
  return Array.from({ length: task.users.length }, (_, p) => task.lists.slice(p * task.k, p * task.k + task.lengths[p]));
}
