import { IdIndex } from '../../core/ids.js';

/**
 * An in-memory ratings log for offline evaluation: row-parallel typed columns over dense user/item indexes.
 * Rows are never mutated; filters return new tables.
 */
export interface RatingsTable {
  /** Short name used in reports, e.g. "ml-100k". */
  readonly name: string;
  readonly users: IdIndex;
  readonly items: IdIndex;
  /** Per row: dense user index into `users`. */
  readonly user: Int32Array;
  /** Per row: dense item index into `items`. */
  readonly item: Int32Array;
  /** Per row: the rating (1 for implicit data). */
  readonly rating: Float32Array;
  /** Per row: unix time in seconds (row order when the source has no time). */
  readonly time: Float64Array;
  /** Per item index: its categories (genres); an empty list when unknown. */
  readonly itemCategories?: readonly (readonly string[])[];
  /** Per item index: a display title. */
  readonly itemTitles?: readonly string[];
}

/** Number of rows of a table. */
export function rowCount(t: RatingsTable): number {
  return t.user.length;
}

/**
 * Accumulates rows with string ids into a RatingsTable; typed columns grow geometrically.
 *
 * @example const b = new RatingsTableBuilder(); b.push('u1', 'i1', 5, 0); const t = b.build('toy');
 */
export class RatingsTableBuilder {
  private readonly users = new IdIndex();
  private readonly items = new IdIndex();
  private user = new Int32Array(1024);
  private item = new Int32Array(1024);
  private rating = new Float32Array(1024);
  private time = new Float64Array(1024);
  private n = 0;

  push(userId: string, itemId: string, rating: number, time: number): void {
    if (this.n === this.user.length) this.grow();
    this.user[this.n] = this.users.add(userId);
    this.item[this.n] = this.items.add(itemId);
    this.rating[this.n] = rating;
    this.time[this.n] = time;
    this.n++;
  }

  get size(): number {
    return this.n;
  }

  /**
   * Finishes the table. `categories`/`titles` are keyed by raw item id; items without an entry get [] / their id.
   */
  build(name: string, side: { categories?: Map<string, string[]>; titles?: Map<string, string> } = {}): RatingsTable {
    const ids = this.items.ids();
    return {
      name,
      users: this.users,
      items: this.items,
      user: this.user.slice(0, this.n),
      item: this.item.slice(0, this.n),
      rating: this.rating.slice(0, this.n),
      time: this.time.slice(0, this.n),
      itemCategories: side.categories ? ids.map((id) => side.categories?.get(id) ?? []) : undefined,
      itemTitles: side.titles ? ids.map((id) => side.titles?.get(id) ?? id) : undefined,
    };
  }

  private grow(): void {
    const size = this.user.length * 2;
    const widen = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.user = widen(this.user, (k) => new Int32Array(k));
    this.item = widen(this.item, (k) => new Int32Array(k));
    this.rating = widen(this.rating, (k) => new Float32Array(k));
    this.time = widen(this.time, (k) => new Float64Array(k));
  }
}

/**
 * Keeps the rows whose flag is set and renumbers users and items densely (in first-seen order over the kept rows),
 * so a filtered table has no empty users or items. Side information follows its items.
 *
 * @example const kept = selectRows(table, Uint8Array.from([1, 0, 1]))
 */
export function selectRows(t: RatingsTable, keep: Uint8Array): RatingsTable {
  let n = 0;
  for (let r = 0; r < keep.length; r++) if (keep[r]) n++;
  const users = new IdIndex();
  const items = new IdIndex();
  // old index -> new index (-1 = not seen yet): one string lookup per distinct id, not per row
  const newUser = new Int32Array(t.users.size).fill(-1);
  const newItem = new Int32Array(t.items.size).fill(-1);
  const oldItemOf: number[] = [];
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const rating = new Float32Array(n);
  const time = new Float64Array(n);
  let w = 0;
  for (let r = 0; r < keep.length; r++) {
    if (!keep[r]) continue;
    const u = t.user[r];
    const i = t.item[r];
    if (newUser[u] === -1) newUser[u] = users.add(t.users.idAt(u));
    if (newItem[i] === -1) {
      newItem[i] = items.add(t.items.idAt(i));
      oldItemOf.push(i);
    }
    user[w] = newUser[u];
    item[w] = newItem[i];
    rating[w] = t.rating[r];
    time[w] = t.time[r];
    w++;
  }
  const cats = t.itemCategories;
  const titles = t.itemTitles;
  return {
    name: t.name,
    users,
    items,
    user,
    item,
    rating,
    time,
    itemCategories: cats ? oldItemOf.map((i) => cats[i]) : undefined,
    itemTitles: titles ? oldItemOf.map((i) => titles[i]) : undefined,
  };
}

/** Counts rows per user and per item. */
export function interactionCounts(t: RatingsTable): { perUser: Int32Array; perItem: Int32Array } {
  const perUser = new Int32Array(t.users.size);
  const perItem = new Int32Array(t.items.size);
  for (let r = 0; r < t.user.length; r++) {
    perUser[t.user[r]]++;
    perItem[t.item[r]]++;
  }
  return { perUser, perItem };
}
