import type { ItemId, StoredEvent, UserId } from '../../core/types.js';
import type { ItemRow, UserRow } from './rows.js';

/**
 * What a write transaction of the main connection changed, for the read cache: the users whose events or record it
 * wrote, the items it wrote, or 'all' (the default: a write that does not say clears everything). `{}` says it wrote
 * nothing the cache keeps (profiles, preferences, scenarios, cached lists, artifacts).
 */
export type CachedChanges = 'all' | { users?: Iterable<UserId>; items?: Iterable<ItemId> };

/** Bounds of the read cache (LRU by users' histories, items and users). */
export interface ReadCacheLimits {
  /** Events kept over every cached history. */
  historyEvents: number;
  items: number;
  users: number;
}

export const DEFAULT_READ_CACHE_LIMITS: ReadCacheLimits = { historyEvents: 200_000, items: 100_000, users: 100_000 };

/** A cached history window: the newest `limit` events (every event when `limit` is undefined). */
interface HistoryWindow {
  limit: number | undefined;
  events: readonly StoredEvent[];
}

/** Whether `window` holds the newest `limit` events: it was read with no smaller limit, or it holds the whole history. */
function covers(window: HistoryWindow, limit: number | undefined): boolean {
  return window.limit === undefined || window.events.length < window.limit || (limit !== undefined && limit <= window.limit);
}

/** Re-inserts on a hit, so a Map's first key is its least recently used. */
function touch<K, V>(map: Map<K, V>, key: K): V | undefined {
  const v = map.get(key);
  if (v !== undefined) {
    map.delete(key);
    map.set(key, v);
  }
  return v;
}

function trim<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}

/**
 * A bounded map that evicts the entries least recently used, to within a quarter of its size: a hit moves its entry to
 * the young end only when a quarter of `max` entries were put or moved since the entry last was, so an entry read
 * again soon stays where it is (a recommend request reads about a hundred items, most of them read by the requests
 * just before: moving each on every hit, a delete and an insert into a map of 100,000, was a visible share of the
 * request). Every entry read survives at least three quarters of `max` puts and moves after its last read.
 */
class RecencyMap<K, V> {
  private readonly entries = new Map<K, { value: V; moved: number }>();
  private moves = 0;

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.moves - entry.moved > this.max / 4) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      entry.moved = ++this.moves;
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, moved: ++this.moves });
    trim(this.entries, this.max);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Records of the SQLite store kept in process between reads: users' history windows, items and users, the hot reads
 * of a recommend request (a cached list still reads the user's history, their record and the items it shows). Exact,
 * not time-based: every write of the main connection says what it changed (`noteWrite`, inside the transaction, so no
 * read runs between the write and the forgetting), and `PRAGMA data_version` (read before each cached read) changes
 * when any other connection (an import's bulk connection, another process) committed, which clears everything.
 * It keeps rows (and events, copied on every read), so every reader gets its own records, as from the database.
 */
export class SqliteReadCache {
  /**
   * By user, then by the event types read ('' for all): the widest window read, newest first. A window of `limit`
   * events is a prefix of any wider one (both are ordered by time and id, newest first), so the 500-event window of a
   * recommend request and the 2,000-event window of an interest profile share one entry.
   */
  private readonly histories = new Map<UserId, Map<string, HistoryWindow>>();
  private historyEvents = 0;
  private readonly items: RecencyMap<ItemId, ItemRow>;
  /** null: the user is known not to exist. */
  private readonly users: RecencyMap<UserId, UserRow | null>;
  private dataVersion: number | undefined;
  /**
   * Counts writes and clears. A read takes it before its query and passes it to keep*: a write that ran while the
   * query was awaited (a retry after SQLITE_BUSY, or before the caller's continuation ran) leaves the rows uncached.
   */
  private writes = 0;

  constructor(
    /** PRAGMA data_version of the main connection. */
    private readonly readDataVersion: () => number,
    private readonly limits: ReadCacheLimits = DEFAULT_READ_CACHE_LIMITS,
  ) {
    this.items = new RecencyMap(limits.items);
    this.users = new RecencyMap(limits.users);
  }

  /** Clears everything when another connection committed since the last check; call before serving from the cache. */
  checkOtherWriters(): void {
    const version = this.readDataVersion();
    if (version !== this.dataVersion) {
      this.clear();
      this.dataVersion = version;
    }
  }

  /** The write count a read passes to keep* (see `writes`). */
  get epoch(): number {
    return this.writes;
  }

  clear(): void {
    this.writes++;
    this.histories.clear();
    this.historyEvents = 0;
    this.items.clear();
    this.users.clear();
  }

  /** Forgets what a write of the main connection changed; call inside its transaction. */
  noteWrite(changes: CachedChanges): void {
    if (changes === 'all') return this.clear();
    this.writes++;
    for (const id of changes.users ?? []) {
      this.dropHistories(id);
      this.users.delete(id);
    }
    for (const id of changes.items ?? []) this.items.delete(id);
  }

  /** A copy of the newest `limit` events of `types` (a key, '' for all) when a cached window holds them. */
  history(userId: UserId, types: string, limit: number | undefined): StoredEvent[] | undefined {
    const window = touch(this.histories, userId)?.get(types);
    if (!window || !covers(window, limit)) return undefined;
    const events = limit === undefined ? window.events : window.events.slice(0, limit);
    return events.map((e) => ({ ...e }));
  }

  /** Keeps a history window just read (and gives it back, still the caller's own). */
  keepHistory(userId: UserId, types: string, limit: number | undefined, events: StoredEvent[], epoch: number): StoredEvent[] {
    if (epoch !== this.writes || events.length > this.limits.historyEvents) return events;
    const windows = this.histories.get(userId) ?? new Map<string, HistoryWindow>();
    const old = windows.get(types);
    const read: HistoryWindow = { limit, events };
    if (old && covers(old, limit) && !covers(read, old.limit)) return events; // the cached window is the wider one
    this.historyEvents += events.length - (old?.events.length ?? 0);
    windows.set(types, { limit, events: events.map((e) => ({ ...e })) });
    this.histories.set(userId, windows);
    while (this.historyEvents > this.limits.historyEvents && this.histories.size > 0) {
      this.dropHistories(this.histories.keys().next().value as UserId);
    }
    return events;
  }

  /** The cached item rows among `ids`, and the ids to read. */
  itemsOf(ids: readonly ItemId[]): { found: Map<ItemId, ItemRow>; missing: ItemId[] } {
    const found = new Map<ItemId, ItemRow>();
    const missing: ItemId[] = [];
    for (const id of ids) {
      const it = this.items.get(id);
      if (it) found.set(id, it);
      else missing.push(id);
    }
    return { found, missing };
  }

  keepItems(rows: ItemRow[], epoch: number): ItemRow[] {
    if (epoch !== this.writes) return rows;
    for (const r of rows) this.items.set(r.id, r);
    return rows;
  }

  /** The cached user row: null when the user is known not to exist, undefined when not cached. */
  user(id: UserId): UserRow | null | undefined {
    return this.users.get(id);
  }

  keepUser(id: UserId, row: UserRow | undefined, epoch: number): UserRow | undefined {
    if (epoch !== this.writes) return row;
    this.users.set(id, row ?? null);
    return row;
  }

  private dropHistories(userId: UserId): void {
    const windows = this.histories.get(userId);
    if (!windows) return;
    for (const w of windows.values()) this.historyEvents -= w.events.length;
    this.histories.delete(userId);
  }
}
