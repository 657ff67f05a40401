import { CsrMatrix } from '../core/sparse.js';
import { createRandom } from '../eval/random.js';

/** users x items, 0/1, from rows of item lists. */
export function binary(rows: number[][], items: number): CsrMatrix {
  const r: number[] = [];
  const c: number[] = [];
  rows.forEach((cols, u) => cols.forEach((i) => (r.push(u), c.push(i))));
  return CsrMatrix.fromTriplets(rows.length, items, r, c, new Array<number>(r.length).fill(1));
}

/** A random 0/1 matrix: 60 users, 12 items, histories of 1–10 items. */
export function randomBinary(seed: number): CsrMatrix {
  const rng = createRandom(seed);
  const rows = Array.from({ length: 60 }, () => {
    const set = new Set<number>();
    const len = 1 + rng.int(10);
    while (set.size < len) set.add(rng.int(12));
    return [...set];
  });
  return binary(rows, 12);
}
