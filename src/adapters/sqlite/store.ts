import type { Statement } from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Event, Item, ItemId, StoredEvent, User, UserId } from '../../core/types.js';
import type { Cache } from '../../storage/cache.js';
import {
  artifactMetaOption, artifactNameOption, artifactVersionOption, batchSizeOption, canonicalEmbeddings,
  canonicalItems, canonicalUsers, checkedEvents, countOption, dateOption, timeOption, typesOption,
} from '../../storage/records.js';
import type {
  AddEventsResult, ArtifactInfo, ArtifactRecord, BulkWriter, EmbeddingRecord, EraseReport, HistoryOptions, ScanOptions, Store,
  StoreCounts,
} from '../../storage/store.js';
import { SqliteBulkWriter } from './bulk.js';
import { SqliteCache } from './cache.js';
import { guard, openConnection, type SqliteDatabase } from './connection.js';
import { migrate, MIGRATIONS } from './migrations.js';
import {
  artifactFromRow, artifactInfoFromRow, EVENT_COLUMNS, embeddingFromRow, eventFromRow, ITEM_COLUMNS, itemFromRow, userFromRow, vectorBytes,
  type ArtifactInfoRow, type ArtifactRow, type EmbeddingRow, type EventRow, type ItemRow, type UserRow,
} from './rows.js';
import { prepareWrites, writeEvents, writeItems, writeUsers, type WriteStatements } from './writes.js';

const DEFAULT_BATCH = 5000;
/** Below every valid event time (JS dates end at ±8.64e15 ms). */
const BEFORE_ALL_TIME = -8.64e15 - 1;

export interface SqliteStoreOptions {
  clock: Clock;
  logger: Logger;
  /** How long a write waits for another writer (an import) before failing with CONFLICT. */
  busyTimeoutMs: number;
  /** Runs after the connection closed (removes the private file of `sqlite://:memory:`). */
  onClose?: () => void;
}

/**
 * `sqlite://`: the default system of record, one database file in WAL mode. Reads and small writes use one main
 * connection; each bulk() import gets its own connection and transaction (see SqliteBulkWriter).
 *
 * @example const store = await openStore('sqlite://./kindred.db'); await store.counts();
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private db: SqliteDatabase | undefined;
  private writeStatements: WriteStatements | undefined;
  private readonly statements = new Map<string, Statement>();
  private readonly writers = new Set<SqliteBulkWriter>();

  constructor(
    /** The database file (shared by the main and bulk connections). */
    readonly path: string,
    private readonly opts: SqliteStoreOptions,
  ) {
    this.db = openConnection(path, opts.busyTimeoutMs);
  }

  async migrate(): Promise<void> {
    const db = this.connection();
    guard(() => migrate(db, MIGRATIONS, this.opts.clock, this.opts.logger));
  }

  async close(): Promise<void> {
    if (!this.db) return;
    for (const w of [...this.writers]) w.abandon();
    this.db.close();
    this.db = undefined;
    this.statements.clear();
    this.writeStatements = undefined;
    this.opts.onClose?.();
  }

  async upsertItems(items: Item[]): Promise<void> {
    const rows = canonicalItems(items);
    this.transaction(() => writeItems(this.writes(), rows));
  }

  async upsertUsers(users: User[]): Promise<void> {
    const rows = canonicalUsers(users);
    this.transaction(() => writeUsers(this.writes(), rows));
  }

  async getItems(ids: ItemId[]): Promise<Item[]> {
    const rows = this.all<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id IN (SELECT value FROM json_each(?))`, JSON.stringify(ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [itemFromRow(row)] : [];
    });
  }

  async getUser(id: UserId): Promise<User | undefined> {
    const row = this.get<UserRow>('SELECT id, attributes, consent FROM users WHERE id = ?', id);
    return row && userFromRow(row);
  }

  async deleteItem(id: ItemId): Promise<boolean> {
    return this.transaction(() => {
      this.run('DELETE FROM events WHERE item_id = ?', id);
      this.run('DELETE FROM embeddings WHERE item_id = ?', id);
      return this.run('DELETE FROM items WHERE id = ?', id) > 0;
    });
  }

  async addEvents(events: Event[]): Promise<AddEventsResult> {
    const rows = checkedEvents(events);
    return this.transaction(() => writeEvents(this.writes(), rows));
  }

  async history(userId: UserId, opts: HistoryOptions = {}): Promise<StoredEvent[]> {
    const limit = countOption(opts.limit, '/limit');
    const types = typesOption(opts.types);
    const since = timeOption(opts.since, '/since');
    let sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE user_id = ?`;
    const params: Array<string | number> = [userId];
    if (since !== undefined) {
      sql += ' AND ts >= ?';
      params.push(since);
    }
    if (types !== undefined) {
      sql += ' AND type IN (SELECT value FROM json_each(?))';
      params.push(JSON.stringify(types));
    }
    sql += ' ORDER BY ts DESC, id DESC';
    if (limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(limit);
    }
    return this.all<EventRow>(sql, ...params).map(eventFromRow);
  }

  async *scanEvents(opts: ScanOptions = {}): AsyncIterable<StoredEvent[]> {
    const size = batchSizeOption(opts.batchSize, DEFAULT_BATCH);
    const types = typesOption(opts.types);
    const since = timeOption(opts.since, '/since');
    const until = timeOption(opts.until, '/until');
    // Keyset pagination on the (ts, id) index: each batch resumes after the last row, so writes between batches
    // neither repeat nor skip earlier rows.
    let sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE (ts, id) > (?, ?)`;
    const filters: Array<string | number> = [];
    if (until !== undefined) {
      sql += ' AND ts < ?';
      filters.push(until);
    }
    if (types !== undefined) {
      sql += ' AND type IN (SELECT value FROM json_each(?))';
      filters.push(JSON.stringify(types));
    }
    sql += ' ORDER BY ts, id LIMIT ?';
    // Ids are never empty, so (since, '') precedes every row at `since`.
    let cursor: [number, string] = [since ?? BEFORE_ALL_TIME, ''];
    for (;;) {
      const rows = this.all<EventRow>(sql, ...cursor, ...filters, size);
      if (rows.length > 0) yield rows.map(eventFromRow);
      if (rows.length < size) return;
      const last = rows[rows.length - 1];
      cursor = [last.ts, last.id];
    }
  }

  async *scanItems(opts: { batchSize?: number } = {}): AsyncIterable<Item[]> {
    const size = batchSizeOption(opts.batchSize, DEFAULT_BATCH);
    const sql = `SELECT ${ITEM_COLUMNS} FROM items WHERE id > ? ORDER BY id LIMIT ?`;
    for (let after = ''; ;) {
      const rows = this.all<ItemRow>(sql, after, size);
      if (rows.length > 0) yield rows.map(itemFromRow);
      if (rows.length < size) return;
      after = rows[rows.length - 1].id;
    }
  }

  async *scanUsers(opts: { batchSize?: number } = {}): AsyncIterable<User[]> {
    const size = batchSizeOption(opts.batchSize, DEFAULT_BATCH);
    const sql = 'SELECT id, attributes, consent FROM users WHERE id > ? ORDER BY id LIMIT ?';
    for (let after = ''; ;) {
      const rows = this.all<UserRow>(sql, after, size);
      if (rows.length > 0) yield rows.map(userFromRow);
      if (rows.length < size) return;
      after = rows[rows.length - 1].id;
    }
  }

  async counts(): Promise<StoreCounts> {
    return this.get<StoreCounts>(`SELECT (SELECT COUNT(*) FROM items) AS items, (SELECT COUNT(*) FROM users) AS users,
      (SELECT COUNT(*) FROM events) AS events`) as StoreCounts;
  }

  async bulk(): Promise<BulkWriter> {
    this.connection();
    const writer = SqliteBulkWriter.begin(this.path, this.opts.busyTimeoutMs, this.opts.logger, (w) => this.writers.delete(w));
    this.writers.add(writer);
    return writer;
  }

  /** Also drops cached lists made for the user (the `store://` cache lives in this database). */
  async eraseUser(id: UserId): Promise<EraseReport> {
    return this.transaction(() => {
      const events = this.run('DELETE FROM events WHERE user_id = ?', id);
      const user = this.run('DELETE FROM users WHERE id = ?', id) > 0;
      this.run('DELETE FROM cache_lists WHERE subject = ?', id);
      return { userId: id, events, user };
    });
  }

  async purgeEventsBefore(cutoff: Date): Promise<number> {
    const ms = dateOption(cutoff, '/cutoff');
    return this.transaction(() => this.run('DELETE FROM events WHERE ts < ?', ms));
  }

  async saveArtifact(name: string, blob: Uint8Array, meta?: Record<string, unknown>): Promise<number> {
    const key = artifactNameOption(name);
    if (!(blob instanceof Uint8Array)) throw new EngineError('INVALID_INPUT', 'artifact blob must be a Uint8Array', { path: '/blob' });
    const metaJson = JSON.stringify(artifactMetaOption(meta));
    const save = () => {
      const version = (this.get<{ v: number }>('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM artifacts WHERE name = ?', key) as { v: number }).v;
      this.run('INSERT INTO artifacts (name, version, created_at, meta, blob) VALUES (?, ?, ?, ?, ?)',
        key, version, this.opts.clock.now(), metaJson, Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength));
      return version;
    };
    // IMMEDIATE: another process saving the same name at once cannot pick the same version.
    return guard(() => this.connection().transaction(save).immediate());
  }

  async loadArtifact(name: string, version?: number): Promise<ArtifactRecord | undefined> {
    const key = artifactNameOption(name);
    const wanted = artifactVersionOption(version);
    const cols = 'name, version, created_at, meta, blob';
    const row = wanted === undefined
      ? this.get<ArtifactRow>(`SELECT ${cols} FROM artifacts WHERE name = ? ORDER BY version DESC LIMIT 1`, key)
      : this.get<ArtifactRow>(`SELECT ${cols} FROM artifacts WHERE name = ? AND version = ?`, key, wanted);
    return row && artifactFromRow(row);
  }

  async listArtifacts(name: string, opts: { limit?: number } = {}): Promise<ArtifactInfo[]> {
    const key = artifactNameOption(name);
    const limit = countOption(opts.limit, '/limit') ?? -1; // LIMIT -1: no limit
    // Reads the primary key and meta only: length(blob) comes from the record header, the blob is not loaded.
    return this.all<ArtifactInfoRow>(
      'SELECT name, version, created_at, meta, length(blob) AS bytes FROM artifacts WHERE name = ? ORDER BY version DESC LIMIT ?', key, limit,
    ).map(artifactInfoFromRow);
  }

  async deleteArtifacts(name: string, versions: number[]): Promise<number> {
    const key = artifactNameOption(name);
    const wanted = versions.map((v) => artifactVersionOption(v) as number);
    return this.transaction(() => {
      const newest = (this.get<{ v: number | null }>('SELECT MAX(version) AS v FROM artifacts WHERE name = ?', key) as { v: number | null }).v;
      let deleted = 0;
      for (const v of wanted) if (v !== newest) deleted += this.run('DELETE FROM artifacts WHERE name = ? AND version = ?', key, v);
      return deleted;
    });
  }

  async putEmbeddings(records: EmbeddingRecord[]): Promise<void> {
    const rows = canonicalEmbeddings(records);
    const sql = `INSERT INTO embeddings (provider, item_id, text_hash, dims, vector) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (provider, item_id) DO UPDATE SET text_hash = excluded.text_hash, dims = excluded.dims,
      vector = excluded.vector`;
    this.transaction(() => {
      for (const r of rows) this.run(sql, r.provider, r.itemId, r.textHash, r.vector.length, vectorBytes(r.vector));
    });
  }

  async getEmbeddings(provider: string, itemIds?: ItemId[]): Promise<EmbeddingRecord[]> {
    const cols = 'provider, item_id, text_hash, dims, vector';
    if (itemIds === undefined) {
      return this.all<EmbeddingRow>(`SELECT ${cols} FROM embeddings WHERE provider = ? ORDER BY item_id`, provider).map(embeddingFromRow);
    }
    const rows = this.all<EmbeddingRow>(
      `SELECT ${cols} FROM embeddings WHERE provider = ? AND item_id IN (SELECT value FROM json_each(?))`, provider, JSON.stringify(itemIds));
    const byItem = new Map(rows.map((r) => [r.item_id, r]));
    return itemIds.flatMap((id) => {
      const row = byItem.get(id);
      return row ? [embeddingFromRow(row)] : [];
    });
  }

  /** A cache kept in this database's cache_lists table (`store://`); it shares the main connection. */
  openTableCache(clock: Clock): Cache {
    this.connection();
    return new SqliteCache(() => this.connection(), clock);
  }

  private connection(): SqliteDatabase {
    if (!this.db) throw new EngineError('INTERNAL', 'store is closed');
    return this.db;
  }

  private writes(): WriteStatements {
    this.writeStatements ??= guard(() => prepareWrites(this.connection()));
    return this.writeStatements;
  }

  private statement(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = guard(() => this.connection().prepare(sql))));
    return s;
  }

  private transaction<T>(fn: () => T): T {
    const db = this.connection();
    return guard(() => db.transaction(fn)());
  }

  private all<T>(sql: string, ...params: unknown[]): T[] {
    return guard(() => this.statement(sql).all(...params) as T[]);
  }

  private get<T>(sql: string, ...params: unknown[]): T | undefined {
    return guard(() => this.statement(sql).get(...params) as T | undefined);
  }

  /** Runs a write statement; returns the number of changed rows. */
  private run(sql: string, ...params: unknown[]): number {
    return guard(() => this.statement(sql).run(...params).changes);
  }
}
