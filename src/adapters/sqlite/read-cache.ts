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
 * Records of the SQLite store kept in process between reads: users' history windows, items and users, the hot reads
 * of a recommend request (a cached list still reads the user's history, their record and the items it shows). Exact,
 * not time-based: every write of the main connection says what it changed (`noteWrite`, inside the transaction, so no
 * read runs between the write and the forgetting), and `PRAGMA data_version` (read before each cached read) changes
 * when any other connection (an import's bulk connection, another process) committed, which clears everything.
 * It keeps rows (and events, copied on every read), so every reader gets its own records, as from the database.
 */
export class SqliteReadCache {
  /** By user: history windows by read options. */
  private readonly histories = new Map<UserId, Map<string, readonly StoredEvent[]>>();
  private historyEvents = 0;
  private readonly items = new Map<ItemId, ItemRow>();
  /** null: the user is known not to exist. */
  private readonly users = new Map<UserId, UserRow | null>();
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
  ) {}

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

  /** A copy of the cached history window (undefined when not cached). */
  history(userId: UserId, readKey: string): StoredEvent[] | undefined {
    return touch(this.histories, userId)?.get(readKey)?.map((e) => ({ ...e }));
  }

  /** Keeps a history window just read (and gives it back, still the caller's own). */
  keepHistory(userId: UserId, readKey: string, events: StoredEvent[], epoch: number): StoredEvent[] {
    if (epoch !== this.writes || events.length > this.limits.historyEvents) return events;
    const reads = this.histories.get(userId) ?? new Map<string, readonly StoredEvent[]>();
    this.historyEvents += events.length - (reads.get(readKey)?.length ?? 0);
    reads.set(readKey, events.map((e) => ({ ...e })));
    this.histories.set(userId, reads);
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
      const it = touch(this.items, id);
      if (it) found.set(id, it);
      else missing.push(id);
    }
    return { found, missing };
  }

  keepItems(rows: ItemRow[], epoch: number): ItemRow[] {
    if (epoch !== this.writes) return rows;
    for (const r of rows) this.items.set(r.id, r);
    trim(this.items, this.limits.items);
    return rows;
  }

  /** The cached user row: null when the user is known not to exist, undefined when not cached. */
  user(id: UserId): UserRow | null | undefined {
    return touch(this.users, id);
  }

  keepUser(id: UserId, row: UserRow | undefined, epoch: number): UserRow | undefined {
    if (epoch !== this.writes) return row;
    this.users.set(id, row ?? null);
    trim(this.users, this.limits.users);
    return row;
  }

  private dropHistories(userId: UserId): void {
    const reads = this.histories.get(userId);
    if (!reads) return;
    for (const events of reads.values()) this.historyEvents -= events.length;
    this.histories.delete(userId);
  }
}
