import type { SeenItems } from './token-targets.js';

/** Items before a window that its tokens' softmax leaves out: a request reads its user's 500 latest events. */
export const SEEN_HISTORY = 500;

/**
 * Each token's seen items (SeenItems): its window's inputs up to its own and the SEEN_HISTORY items before the window,
 * for windows seq[from .. from + length) whose first tokens sit at `starts`.
 *
 * @example seenItemsOf([{ seq: Int32Array.of(5, 6, 7), from: 1, length: 2 }], Int32Array.of(0)) // token 0: [5, 6], token 1: [5, 6, 7]
 */
export function seenItemsOf(windows: Array<{ seq: Int32Array; from: number; length: number }>, starts: Int32Array): SeenItems {
  const tokens = windows.reduce((n, w) => n + w.length, 0);
  const firstOf = windows.map((w) => Math.max(0, w.from - SEEN_HISTORY));
  const items = new Int32Array(windows.reduce((n, w, i) => n + w.from + w.length - firstOf[i], 0));
  const from = new Int32Array(tokens);
  const to = new Int32Array(tokens);
  let at = 0;
  windows.forEach((w, i) => {
    const own = w.seq.subarray(firstOf[i], w.from + w.length);
    items.set(own, at);
    const before = w.from - firstOf[i];
    for (let k = 0; k < w.length; k++) {
      from[starts[i] + k] = at;
      to[starts[i] + k] = at + before + k + 1;
    }
    at += own.length;
  });
  return { items, from, to };
}
