import { interactionCounts, rowCount, selectRows, type RatingsTable } from './data/table.js';

/**
 * Keeps one row per user-item pair: the most recent one (ties: the later row), i.e. the user's latest opinion.
 *
 * @example dedupInteractions(table) // rows (u1,i1,t=5) and (u1,i1,t=9) -> only the t=9 row survives
 */
export function dedupInteractions(t: RatingsTable): RatingsTable {
  const latest = new Map<number, number>();
  const nItems = t.items.size;
  for (let r = 0; r < rowCount(t); r++) {
    const key = t.user[r] * nItems + t.item[r];
    const prev = latest.get(key);
    if (prev === undefined || t.time[r] >= t.time[prev]) latest.set(key, r);
  }
  if (latest.size === rowCount(t)) return t;
  const keep = new Uint8Array(rowCount(t));
  for (const r of latest.values()) keep[r] = 1;
  return selectRows(t, keep);
}

/**
 * Keeps rows rated at least `min`; they become binary positives (the rating value is not used afterwards).
 *
 * @example keepPositives(table, 3) // RecBole's val_interval rating [3, inf)
 */
export function keepPositives(t: RatingsTable, min: number): RatingsTable {
  const keep = new Uint8Array(rowCount(t));
  for (let r = 0; r < keep.length; r++) keep[r] = t.rating[r] >= min ? 1 : 0;
  return selectRows(t, keep);
}

export interface KCoreReport {
  table: RatingsTable;
  /** Passes until nothing changed (the last pass removes nothing and is not counted). */
  rounds: number;
}

/**
 * Iterative k-core: drops users with fewer than `minUser` rows and items with fewer than `minItem` rows, both judged
 * on the same counts in each pass (as RecBole does), repeating until stable. The result is the unique largest
 * sub-log where every user and item meets its minimum.
 *
 * @example kCore(table, 10, 10).table // RecBole's [10, inf) user and item interval
 */
export function kCore(t: RatingsTable, minUser: number, minItem: number): KCoreReport {
  let table = t;
  let rounds = 0;
  for (;;) {
    const { perUser, perItem } = interactionCounts(table);
    const keep = new Uint8Array(rowCount(table));
    let dropped = 0;
    for (let r = 0; r < keep.length; r++) {
      const ok = perUser[table.user[r]] >= minUser && perItem[table.item[r]] >= minItem;
      keep[r] = ok ? 1 : 0;
      if (!ok) dropped++;
    }
    if (dropped === 0) return { table, rounds };
    table = selectRows(table, keep);
    rounds++;
  }
}

export interface FilterOptions {
  /** Keep one row per user-item pair (default true; RecBole keeps duplicates but MovieLens has none). */
  dedup?: boolean;
  /** Ratings >= this become positives; undefined keeps every row. */
  minRating?: number;
  /** Iterative k-core: one number for both sides, or per side; 0 or undefined skips it. */
  kcore?: number | { user: number; item: number };
}

export interface FilterReport {
  rowsIn: number;
  rowsOut: number;
  users: number;
  items: number;
  kcoreRounds: number;
}

/**
 * Applies dedup, then the rating threshold, then the iterative k-core: RecBole's order (remove duplication, filter by
 * value, filter by interaction count).
 *
 * @example applyFilters(table, { minRating: 3, kcore: 10 })
 */
export function applyFilters(t: RatingsTable, opts: FilterOptions): { table: RatingsTable; report: FilterReport } {
  let table = opts.dedup === false ? t : dedupInteractions(t);
  if (opts.minRating !== undefined) table = keepPositives(table, opts.minRating);
  let kcoreRounds = 0;
  const k = typeof opts.kcore === 'number' ? { user: opts.kcore, item: opts.kcore } : opts.kcore;
  if (k && (k.user > 0 || k.item > 0)) {
    const res = kCore(table, k.user, k.item);
    table = res.table;
    kcoreRounds = res.rounds;
  }
  return {
    table,
    report: { rowsIn: rowCount(t), rowsOut: rowCount(table), users: table.users.size, items: table.items.size, kcoreRounds },
  };
}
