import { EngineError } from '../core/errors.js';
import { rowCount, type RatingsTable } from './data/table.js';
import { createRandom, shuffleInPlace } from './random.js';

/** A split of a table's rows into train / valid / test, as row ids into the table. */
export interface Split {
  train: Int32Array;
  valid: Int32Array;
  test: Int32Array;
  /** Temporal splits: the first second of the valid and test periods. */
  validFrom?: number;
  testFrom?: number;
}

/** Row ids of each user, in table order. */
export function rowsByUser(t: RatingsTable): Int32Array[] {
  const counts = new Int32Array(t.users.size);
  for (let r = 0; r < rowCount(t); r++) counts[t.user[r]]++;
  const groups = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(t.users.size);
  for (let r = 0; r < rowCount(t); r++) groups[t.user[r]][fill[t.user[r]]++] = r;
  return groups;
}

/**
 * How many of a user's `n` rows go to each part: RecBole's `_calcu_split_ids` verbatim. Ratios are normalised;
 * every part but the first gets ⌊ratio·n⌋ and the first takes the rest; a part whose share is in (0, 1) borrows one row
 * from the first part while that keeps more than one row.
 *
 * @example ratioSplitSizes(25, [0.8, 0.1, 0.1]) // [21, 2, 2]
 */
export function ratioSplitSizes(n: number, ratios: readonly number[]): number[] {
  let total = 0;
  for (const r of ratios) total += r;
  const norm = ratios.map((r) => r / total);
  const cnt = norm.map((r) => Math.trunc(r * n));
  cnt[0] = n - cnt.slice(1).reduce((a, b) => a + b, 0);
  for (let i = 1; i < norm.length; i++) {
    if (cnt[0] <= 1) break;
    const share = norm[norm.length - i] * n;
    if (share > 0 && share < 1) {
      cnt[cnt.length - i] += 1;
      cnt[0] -= 1;
    }
  }
  return cnt;
}

function concat(parts: number[][]): Int32Array[] {
  return parts.map((p) => Int32Array.from(p).sort());
}

/**
 * Per-user random split (RecBole "RO" order + "RS" ratios): each user's rows are shuffled with a seeded generator,
 * then cut into train / valid / test by `ratioSplitSizes`.
 *
 * @example ratioSplit(table, [0.8, 0.1, 0.1], 42)
 */
export function ratioSplit(t: RatingsTable, ratios: readonly [number, number, number], seed: number): Split {
  if (ratios.some((r) => r < 0) || ratios[0] <= 0) throw new EngineError('INVALID_INPUT', 'split ratios must be >= 0 with train > 0', { path: 'split.ratios' });
  const rng = createRandom(seed);
  const parts: number[][] = [[], [], []];
  for (const rows of rowsByUser(t)) {
    const order = shuffleInPlace(Array.from(rows), rng);
    const [nTrain, nValid] = ratioSplitSizes(order.length, ratios);
    order.forEach((r, k) => parts[k < nTrain ? 0 : k < nTrain + nValid ? 1 : 2].push(r));
  }
  const [train, valid, test] = concat(parts);
  return { train, valid, test };
}

/**
 * Leave-last-out by time: each user's latest row is test, the one before it valid (RecBole's "LS" with two held out).
 * A user always keeps at least one training row, so users with 2 rows get no valid row and users with 1 row only train.
 *
 * @example leaveLastOutSplit(table) // a user with rows at t=1,2,3 -> train [t=1], valid [t=2], test [t=3]
 */
export function leaveLastOutSplit(t: RatingsTable): Split {
  const parts: number[][] = [[], [], []];
  for (const rows of rowsByUser(t)) {
    // Stable sort by time keeps the file order for ties.
    const order = Array.from(rows).sort((a, b) => t.time[a] - t.time[b] || a - b);
    const held = Math.min(2, order.length - 1);
    const nTrain = order.length - held;
    order.forEach((r, k) => {
      if (k < nTrain) parts[0].push(r);
      else parts[k === order.length - 1 ? 2 : 1].push(r);
    });
  }
  const [train, valid, test] = concat(parts);
  return { train, valid, test };
}

export interface TemporalSplitOptions {
  /** Unix seconds: rows at or after this time are test. Default: the time quantile leaving `testFraction` of rows. */
  testFrom?: number;
  /** Unix seconds: rows in [validFrom, testFrom) are valid. Default: the quantile leaving `validFraction` more rows. */
  validFrom?: number;
  testFraction?: number;
  validFraction?: number;
}

/**
 * Global temporal cut: everything before `validFrom` trains, [validFrom, testFrom) validates, the rest tests.
 * Users with test rows but no training rows are cold; the runner reports them separately.
 *
 * @example temporalSplit(table, { testFrom: Date.parse('2000-12-01') / 1000 })
 */
export function temporalSplit(t: RatingsTable, opts: TemporalSplitOptions = {}): Split {
  const n = rowCount(t);
  const sorted = Float64Array.from(t.time).sort();
  const quantile = (fractionAfter: number): number => sorted[Math.min(n - 1, Math.max(0, n - Math.floor(fractionAfter * n)))];
  const testFraction = opts.testFraction ?? 0.1;
  const validFraction = opts.validFraction ?? 0.1;
  const testFrom = opts.testFrom ?? quantile(testFraction);
  // Valid = the last ⌊validFraction·n⌋ rows before the test period (ties at the boundary included).
  let before = 0;
  while (before < n && sorted[before] < testFrom) before++;
  const nValid = Math.floor(validFraction * n);
  const validFrom = opts.validFrom ?? (nValid > 0 && before > 0 ? sorted[Math.max(0, before - nValid)] : testFrom);
  if (validFrom > testFrom) throw new EngineError('INVALID_INPUT', 'validFrom must not be after testFrom', { path: 'split.validFrom' });
  const parts: number[][] = [[], [], []];
  for (let r = 0; r < n; r++) parts[t.time[r] >= testFrom ? 2 : t.time[r] >= validFrom ? 1 : 0].push(r);
  const [train, valid, test] = concat(parts);
  return { train, valid, test, validFrom, testFrom };
}
