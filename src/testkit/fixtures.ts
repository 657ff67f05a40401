import type { InteractionMatrix } from '../core/interactions.js';
import { IdIndex } from '../core/ids.js';
import { CsrMatrix, type SparseRow } from '../core/sparse.js';
import { InteractionsBuilder } from '../models/interactions-builder.js';
import type { ItemContent } from '../models/model.js';

/** 2024-01-01T00:00:00Z: the start of fixture time (fixtures never read the system clock). */
export const FIXTURE_EPOCH_MS = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

/** A dataset with a known right answer per user. */
export interface Checkerboard {
  /** Training data: every user's block minus the withheld item. Cold items come last and have no events. */
  data: InteractionMatrix;
  /** Per user index, the item index withheld from training: the one right answer. */
  withheld: Int32Array;
  /** Per user index, its block. */
  blockOfUser: Int32Array;
  /** Per item index, its block (-1 for cold items). */
  blockOfItem: Int32Array;
}

export interface CheckerboardOptions {
  blocks?: number;
  usersPerBlock?: number;
  itemsPerBlock?: number;
  /** Catalogue items with no events at all (models must cope with empty columns). */
  coldItems?: number;
}

/**
 * Block-diagonal interactions: users of block b consume only items of block b, each user all of them but one
 * (different users withhold different items), with varied weights and a per-user consumption order. Every sensible
 * collaborative model must rank the withheld item first once the user's training items are excluded.
 *
 * @example const { data, withheld } = checkerboard(); // user u's right answer is item withheld[u]
 */
export function checkerboard(opts: CheckerboardOptions = {}): Checkerboard {
  const blocks = opts.blocks ?? 3;
  const usersPerBlock = opts.usersPerBlock ?? 8;
  const itemsPerBlock = opts.itemsPerBlock ?? 6;
  const coldItems = opts.coldItems ?? 1;
  const itemIds: string[] = [];
  for (let b = 0; b < blocks; b++) for (let k = 0; k < itemsPerBlock; k++) itemIds.push(`b${b}-i${k}`);
  for (let c = 0; c < coldItems; c++) itemIds.push(`cold-${c}`);
  const builder = new InteractionsBuilder({ items: itemIds });

  const nUsers = blocks * usersPerBlock;
  const withheld = new Int32Array(nUsers);
  const blockOfUser = new Int32Array(nUsers);
  for (let b = 0; b < blocks; b++) {
    for (let j = 0; j < usersPerBlock; j++) {
      const user = b * usersPerBlock + j;
      const skip = j % itemsPerBlock;
      withheld[user] = b * itemsPerBlock + skip;
      blockOfUser[user] = b;
      // start each user's sequence at a different item so orders differ between users
      for (let step = 0; step < itemsPerBlock; step++) {
        const k = (j + 1 + step) % itemsPerBlock;
        if (k === skip) continue;
        const weight = 1 + ((j + k) % 3);
        builder.add(`b${b}-u${j}`, `b${b}-i${k}`, weight, FIXTURE_EPOCH_MS + user * 1000 * MINUTE + step * MINUTE);
      }
    }
  }
  const blockOfItem = new Int32Array(itemIds.length).fill(-1);
  for (let i = 0; i < blocks * itemsPerBlock; i++) blockOfItem[i] = Math.floor(i / itemsPerBlock);
  return { data: builder.build(), withheld, blockOfUser, blockOfItem };
}

/**
 * Text vectors (6 dims) for the items of the default `checkerboard()`, for content models: each block has its own
 * direction (dims 0-2), items differ a little inside a block (0.2 on dim 3 + i % 3), and cold items point along
 * dims 3-5 only, nowhere near any block.
 *
 * @example await model.fit(checkerboard().data, { ...ctx, content: checkerboardContent() });
 */
export function checkerboardContent(): Required<Pick<ItemContent, 'embeddings' | 'dimensions'>> {
  const { data, blockOfItem } = checkerboard();
  const n = data.items.size;
  const dims = 6;
  const embeddings = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const block = blockOfItem[i];
    if (block >= 0) embeddings[i * dims + block] = 1;
    embeddings[i * dims + 3 + (i % 3)] = block >= 0 ? 0.2 : 1;
  }
  return { embeddings, dimensions: dims };
}

/**
 * A 3 users x 4 items weighted matrix for hand-computed cases (times increase left to right within a user):
 *
 * ```
 *        i1  i2  i3  i4
 *   u1    2   1   .   .
 *   u2    1   .   3   .
 *   u3    .   1   1   2
 * ```
 * u1 consumed i1 then i2; u2: i3 then i1; u3: i2, i3, i4.
 *
 * @example const data = tinyRatings(); data.matrix.rowData(0) // Float32Array [2, 1]
 */
export function tinyRatings(): InteractionMatrix {
  const b = new InteractionsBuilder({ items: ['i1', 'i2', 'i3', 'i4'], users: ['u1', 'u2', 'u3'] });
  b.add('u1', 'i1', 2, FIXTURE_EPOCH_MS + 1 * MINUTE);
  b.add('u1', 'i2', 1, FIXTURE_EPOCH_MS + 2 * MINUTE);
  b.add('u2', 'i3', 3, FIXTURE_EPOCH_MS + 1 * MINUTE);
  b.add('u2', 'i1', 1, FIXTURE_EPOCH_MS + 2 * MINUTE);
  b.add('u3', 'i2', 1, FIXTURE_EPOCH_MS + 1 * MINUTE);
  b.add('u3', 'i3', 1, FIXTURE_EPOCH_MS + 2 * MINUTE);
  b.add('u3', 'i4', 2, FIXTURE_EPOCH_MS + 3 * MINUTE);
  return b.build();
}

/**
 * An InteractionMatrix from a dense users x items array (0 = no interaction); ids are `u0..`, `i0..`, and each
 * user's items are timed left to right.
 *
 * @example fromDense([[1, 0], [1, 1]]).matrix.nnz // 3
 */
export function fromDense(rows: number[][]): InteractionMatrix {
  const nItems = rows.reduce((m, r) => Math.max(m, r.length), 0);
  const b = new InteractionsBuilder({
    items: Array.from({ length: nItems }, (_, i) => `i${i}`),
    users: rows.map((_, u) => `u${u}`),
  });
  rows.forEach((row, u) => row.forEach((w, i) => {
    if (w > 0) b.add(`u${u}`, `i${i}`, w, FIXTURE_EPOCH_MS + i * MINUTE);
  }));
  return b.build();
}

/** A user's training row as a SparseRow (what a model gets for a user it has not seen). */
export function userRow(data: InteractionMatrix, user: number): SparseRow {
  return { indices: data.matrix.rowIndices(user).slice(), values: data.matrix.rowData(user).slice() };
}

/**
 * The data without one user, as training on a store that never held them would see it: the other users keep their
 * order (their indexes above `user` move down by one), items and everyone else's cells, times and sequences unchanged.
 *
 * @example withoutUser(checkerboard().data, 1).users.size // one fewer
 */
export function withoutUser(data: InteractionMatrix, user: number): InteractionMatrix {
  const { matrix } = data;
  const from = matrix.indptr[user];
  const to = matrix.indptr[user + 1];
  const cut = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(a.length - (to - from));
    out.set(a.subarray(0, from));
    out.set(a.subarray(to), from);
    return out;
  };
  const indptr = new Int32Array(matrix.rows);
  for (let r = 0; r < matrix.rows; r++) {
    if (r === user) continue;
    indptr[r < user ? r + 1 : r] = matrix.indptr[r + 1] - (r > user ? to - from : 0);
  }
  return {
    users: IdIndex.from(data.users.ids().filter((_, i) => i !== user)),
    items: data.items,
    matrix: new CsrMatrix(matrix.rows - 1, matrix.cols, indptr, cut(matrix.indices), cut(matrix.data)),
    ...(data.times ? { times: cut(data.times) } : {}),
    ...(data.sequences ? { sequences: data.sequences.filter((_, i) => i !== user) } : {}),
  };
}
