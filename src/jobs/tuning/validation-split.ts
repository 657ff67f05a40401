import type { InteractionMatrix } from '../../core/interactions.js';
import { CsrMatrix } from '../../core/sparse.js';
import { createRandom, shuffleInPlace } from '../../eval/random.js';
import { ratioSplitSizes } from '../../eval/splits.js';

/** A store's training matrix cut in two for tuning: models fit on `train` and are scored on `valid`. */
export interface ValidationSplit {
  train: InteractionMatrix;
  /** users × items: each user's held-out items. */
  valid: CsrMatrix;
  /** Users with held-out items (and training rows), ascending; at most `maxUsers` of them. */
  users: Int32Array;
}

export interface ValidationSplitOptions {
  /** Share of each user's items held out (RecBole's rounding: a user with 2 or more items keeps at least one in each part). */
  fraction: number;
  seed: number;
  /** Score at most this many users (a seeded sample), so a large store validates in bounded time. */
  maxUsers: number;
}

/**
 * Per-user random hold-out of an interaction matrix, seeded: each user's cells are shuffled and the last
 * ⌊fraction·n⌋ (at least one when n ≥ 2) are held out with their values; times and sequences follow the kept cells.
 *
 * @example const split = validationSplit(data, { fraction: 0.1, seed: 42, maxUsers: 5000 })
 */
export function validationSplit(data: InteractionMatrix, opts: ValidationSplitOptions): ValidationSplit {
  const m = data.matrix;
  const rng = createRandom(opts.seed);
  const keep = new Uint8Array(m.nnz).fill(1);
  for (let u = 0; u < m.rows; u++) {
    const start = m.indptr[u];
    const n = m.indptr[u + 1] - start;
    if (n < 2) continue;
    const [, held] = ratioSplitSizes(n, [1 - opts.fraction, opts.fraction]);
    const order = shuffleInPlace(Array.from({ length: n }, (_, k) => start + k), rng);
    for (let k = n - held; k < n; k++) keep[order[k]] = 0;
  }
  const train = subMatrix(m, keep, 1);
  const valid = subMatrix(m, keep, 0);
  const times = data.times?.filter((_, p) => keep[p] === 1);
  const sequences = data.sequences?.map((seq, u) => withoutHeldOut(seq, valid.rowIndices(u)));
  const users: number[] = [];
  for (let u = 0; u < m.rows; u++) if (valid.rowLength(u) > 0 && train.rowLength(u) > 0) users.push(u);
  const sampled = users.length > opts.maxUsers ? shuffleInPlace(users, rng).slice(0, opts.maxUsers).sort((a, b) => a - b) : users;
  return {
    train: { users: data.users, items: data.items, matrix: train, ...(times ? { times } : {}), ...(sequences ? { sequences } : {}) },
    valid,
    users: Int32Array.from(sampled),
  };
}

/** The cells whose keep flag equals `flag`, same shape. */
function subMatrix(m: CsrMatrix, keep: Uint8Array, flag: number): CsrMatrix {
  const indptr = new Int32Array(m.rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let u = 0; u < m.rows; u++) {
    for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
      if (keep[p] !== flag) continue;
      indices.push(m.indices[p]);
      data.push(m.data[p]);
    }
    indptr[u + 1] = indices.length;
  }
  return new CsrMatrix(m.rows, m.cols, indptr, Int32Array.from(indices), Float32Array.from(data));
}

/** A user's sequence without the held-out items (a sorted list), so sequential models do not see them. */
function withoutHeldOut(seq: Int32Array, held: Int32Array): Int32Array {
  if (held.length === 0) return seq;
  const heldSet = new Set(held);
  return seq.filter((item) => !heldSet.has(item));
}
