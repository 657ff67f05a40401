import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Event, Item, ItemId, StoredEvent, User, UserId } from '../../core/types.js';
import type { Cache } from '../../storage/cache.js';
import { pagesOf } from '../../storage/paging.js';
import {
  batchSizeOption, canonicalEmbeddings, canonicalItems, canonicalUsers, checkedEvents, checkedSentiments, dateOption, DEFAULT_SCAN_BATCH, historyOptions,
  pageOption, scanOptions, typesOption,
} from '../../storage/records.js';
import type {
  AddEventsResult, ArtifactInfo, ArtifactRecord, BulkWriter, CarePreferencesRecord, EmbeddingRecord, EraseReport, EventBucketCount, EventCountsOptions, EventSentiment,
  EventSpan, HistoryOptions, PageOptions, ProfileRecord, Scenario, ScanOptions, Store, StoreCounts,
} from '../../storage/store.js';
import { canonicalCarePreferences } from '../../storage/care-preferences-record.js';
import { profileRecordJson, profileUserOption } from '../../storage/profile-record.js';
import { canonicalScenario, scenarioNameOption } from '../../storage/scenario-record.js';
import { deleteArtifacts, listArtifacts, loadArtifact, saveArtifact } from './artifacts.js';
import { eventCounts, eventSpan } from './event-counts.js';
import { releaseLease, tryLease } from './leases.js';
import { SqliteBulkWriter } from './bulk.js';
import { retryWhileBusy } from './busy.js';
import { SqliteCache } from './cache.js';
import { guard, openConnection, truncateWal, type Durability, type SqliteDatabase } from './connection.js';
import { registerCheckpoints } from './checkpointer.js';
import { FileIdentity } from './file-identity.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { SqliteReadCache } from './read-cache.js';
import {
  carePreferencesFromRow, EVENT_COLUMNS, embeddingFromRow, eventFromRow, inIdOrder, ITEM_COLUMNS, itemFromRow, profileFromRow, scenarioFromRow, USER_COLUMNS,
  userFromRow, vectorBytes, type CarePreferencesRow, type EmbeddingRow, type EventRow, type ItemRow, type ProfileRow, type ScenarioRow, type UserRow,
} from './rows.js';
import { SqliteStatements } from './statements.js';
import { prepareWrites, writeEvents, writeItems, writeUsers, type WriteStatements } from './writes.js';

/** SQLite's default, used again only if the checkpoint worker fails. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;
/** Below every valid event time (JS dates end at ±8.64e15 ms). */
const BEFORE_ALL_TIME = -8.64e15 - 1;

export interface SqliteStoreOptions {
  clock: Clock;
  logger: Logger;
  /** How long a write waits (asynchronously) for another writer's lock before failing with CONFLICT. */
  busyTimeoutMs: number;
  /** synchronous=FULL or NORMAL on every connection (see docs/operations.md). */
  durability: Durability;
  /** Runs after the connection closed (removes the private file of `sqlite://:memory:`). */
  onClose?: () => void;
}

/**
 * `sqlite://`: the default system of record, one database file in WAL mode. Reads and small writes use one main
 * connection; each bulk() import gets its own connection and staging tables (see SqliteBulkWriter). No call waits
 * synchronously for a lock: a locked database is retried on timers (retryWhileBusy). Every write first checks that
 * the path still leads to the file opened (FileIdentity), so deleting the file under a running server makes writes
 * fail with STORE_UNAVAILABLE instead of vanishing on restart.
 *
 * @example const store = await openStore('sqlite://./kindred.db'); await store.counts();
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private db: SqliteDatabase | undefined;
  private writeStatements: WriteStatements | undefined;
  private readonly writers = new Set<SqliteBulkWriter>();
  private readonly identity: FileIdentity;
  private readonly stopCheckpoints: () => Promise<void>;
  private readonly sql: SqliteStatements;
  private readonly reads: SqliteReadCache;

  constructor(
    /** The database file (shared by the main and bulk connections). */
    readonly path: string,
    private readonly opts: SqliteStoreOptions,
  ) {
    this.db = openConnection(path, { durability: opts.durability }, opts.logger);
    try {
      this.identity = FileIdentity.of(path);
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.sql = new SqliteStatements(() => this.connection(), this.identity, opts.busyTimeoutMs, opts.logger, (changes) => this.reads.noteWrite(changes));
    this.reads = new SqliteReadCache(() => this.sql.row<{ data_version: number }>('PRAGMA data_version')?.data_version ?? -1);
    const db = this.db;
    db.pragma('wal_autocheckpoint = 0');
    this.stopCheckpoints = registerCheckpoints(path, () => db.open && db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`));
  }

  async migrate(): Promise<void> {
    const db = this.connection();
    await retryWhileBusy(() => migrate(db, MIGRATIONS, this.opts.clock, this.opts.logger), this.opts.busyTimeoutMs, this.opts.logger);
  }

  /**
   * Throws STORE_UNAVAILABLE when the database file was deleted, replaced or made read-only since the store opened
   * it, STORE_CORRUPT when it no longer reads as a database. Cheap (a stat, an access check and a header read), for
   * health probes polled every second.
   */
  async health(): Promise<void> {
    this.identity.checkWritable();
    await this.sql.get<{ schema_version: number }>('PRAGMA schema_version');
  }

  async close(): Promise<void> {
    if (!this.db) return;
    await this.sql.flush(); // writes asked for just before closing still commit
    if (!this.db) return;
    for (const w of [...this.writers]) w.abandon();
    this.db.close();
    this.db = undefined;
    this.sql.clear();
    this.reads.clear();
    this.writeStatements = undefined;
    await this.stopCheckpoints(); // the worker's connection may be the file's last: let it go before the file does
    this.opts.onClose?.();
  }

  async upsertItems(items: Item[]): Promise<void> {
    const rows = canonicalItems(items);
    await this.sql.transaction(() => writeItems(this.writes(), rows), { items: rows.map((it) => it.id) });
  }

  async upsertUsers(users: User[]): Promise<void> {
    const rows = canonicalUsers(users);
    await this.sql.transaction(() => writeUsers(this.writes(), rows), { users: rows.map((u) => u.id) });
  }

  async getItems(ids: ItemId[]): Promise<Item[]> {
    this.reads.checkOtherWriters();
    const { found, missing } = this.reads.itemsOf(ids);
    if (missing.length > 0) {
      const epoch = this.reads.epoch;
      const rows = await this.sql.all<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id IN (SELECT value FROM json_each(?))`, JSON.stringify(missing));
      for (const r of this.reads.keepItems(rows, epoch)) found.set(r.id, r);
    }
    return inIdOrder(ids, found, itemFromRow);
  }

  async getUser(id: UserId): Promise<User | undefined> {
    this.reads.checkOtherWriters();
    const cached = this.reads.user(id);
    const epoch = this.reads.epoch;
    const row = cached !== undefined ? cached ?? undefined : this.reads.keepUser(id, await this.sql.get<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, id), epoch);
    return row && userFromRow(row);
  }

  async deleteItem(id: ItemId): Promise<boolean> {
    return this.sql.transaction(() => {
      this.sql.run('DELETE FROM events WHERE item_id = ?', id);
      this.sql.run('DELETE FROM embeddings WHERE item_id = ?', id);
      return this.sql.run('DELETE FROM items WHERE id = ?', id) > 0;
    });
  }

  async addEvents(events: Event[]): Promise<AddEventsResult> {
    const rows = checkedEvents(events);
    return this.sql.transaction(() => writeEvents(this.writes(), rows), { users: rows.map((r) => r.event.userId) });
  }

  async setEventSentiments(scores: readonly EventSentiment[]): Promise<number> {
    const valid = checkedSentiments(scores);
    if (valid.length === 0) return 0;
    const sql = 'UPDATE events SET sentiment = ? WHERE id = ? AND sentiment IS NULL AND text IS NOT NULL';
    return this.sql.transaction(() => valid.reduce((n, s) => n + this.sql.run(sql, s.sentiment, s.id), 0));
  }

  async history(userId: UserId, opts: HistoryOptions = {}): Promise<StoredEvent[]> {
    const { limit, types, since, before } = historyOptions(opts);
    // Windows without a start time or a page cursor are kept in the read cache (reads with `since` move with the clock).
    const typesKey = since === undefined && before === undefined ? (types === undefined ? '' : JSON.stringify(types)) : undefined;
    this.reads.checkOtherWriters();
    const cached = typesKey === undefined ? undefined : this.reads.history(userId, typesKey, limit);
    if (cached) return cached;
    const epoch = this.reads.epoch;
    let sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE user_id = ?`;
    const params: Array<string | number> = [userId];
    if (since !== undefined) {
      sql += ' AND ts >= ?';
      params.push(since);
    }
    if (before !== undefined) {
      sql += ' AND (ts, id) < (?, ?)';
      params.push(before.ms, before.id);
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
    const events = (await this.sql.all<EventRow>(sql, ...params)).map(eventFromRow);
    return typesKey === undefined ? events : this.reads.keepHistory(userId, typesKey, limit, events, epoch);
  }

  eventSpan = (opts?: { itemId?: ItemId }): Promise<EventSpan | undefined> => eventSpan(this.sql, opts);
  eventCounts = (opts: EventCountsOptions): Promise<EventBucketCount[]> => eventCounts(this.sql, opts);

  async *scanEvents(opts: ScanOptions = {}): AsyncIterable<StoredEvent[]> {
    const { size, types, since, until } = scanOptions(opts);
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
      const rows = await this.sql.all<EventRow>(sql, ...cursor, ...filters, size);
      if (rows.length > 0) yield rows.map(eventFromRow);
      if (rows.length < size) return;
      const last = rows[rows.length - 1];
      cursor = [last.ts, last.id];
    }
  }

  async *scanItems(opts: { batchSize?: number } = {}): AsyncIterable<Item[]> {
    yield* pagesOf((page) => this.listItems(page), batchSizeOption(opts.batchSize, DEFAULT_SCAN_BATCH));
  }

  async *scanUsers(opts: { batchSize?: number } = {}): AsyncIterable<User[]> {
    yield* pagesOf((page) => this.listUsers(page), batchSizeOption(opts.batchSize, DEFAULT_SCAN_BATCH));
  }

  async listItems(opts: PageOptions): Promise<Item[]> {
    const { after, limit } = pageOption(opts);
    return (await this.sql.all<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id > ? ORDER BY id LIMIT ?`, after, limit)).map(itemFromRow);
  }

  async listUsers(opts: PageOptions): Promise<User[]> {
    const { after, limit } = pageOption(opts);
    return (await this.sql.all<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id > ? ORDER BY id LIMIT ?`, after, limit)).map(userFromRow);
  }

  async counts(): Promise<StoreCounts> {
    return await this.sql.get<StoreCounts>(`SELECT (SELECT COUNT(*) FROM items) AS items, (SELECT COUNT(*) FROM users) AS users,
      (SELECT COUNT(*) FROM events) AS events`) as StoreCounts;
  }

  async itemCount(): Promise<number> {
    return (await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM items') as { n: number }).n;
  }

  async bulk(): Promise<BulkWriter> {
    this.connection();
    this.identity.check();
    const { durability, busyTimeoutMs, logger } = this.opts;
    const writer = SqliteBulkWriter.begin(this.path, { durability, busyTimeoutMs, logger, identity: this.identity }, (w) => this.writers.delete(w));
    this.writers.add(writer);
    return writer;
  }

  /** Also drops cached lists made for the user (the `store://` cache lives in this database). */
  async deleteEvents(userId: UserId, match: { itemId: ItemId; types?: string[] }): Promise<number> {
    const types = typesOption(match.types);
    const sql = 'DELETE FROM events WHERE user_id = ? AND item_id = ?';
    return this.sql.transaction(() => (types === undefined ? this.sql.run(sql, userId, match.itemId) : this.sql.run(`${sql} AND type IN (SELECT value FROM json_each(?))`, userId, match.itemId, JSON.stringify(types))), { users: [userId] });
  }

  /**
   * secure_delete (set on every connection) overwrites the freed pages in the database file; the checkpoint afterwards
   * copies them back and truncates the WAL, whose older frames may still hold the rows.
   */
  async eraseUser(id: UserId): Promise<EraseReport> {
    const removed = await this.sql.transaction(() => {
      const events = this.sql.run('DELETE FROM events WHERE user_id = ?', id);
      const user = this.sql.run('DELETE FROM users WHERE id = ?', id) > 0;
      const cachedLists = this.sql.run('DELETE FROM cache_lists WHERE subject = ?', id);
      const profile = this.sql.run('DELETE FROM profiles WHERE user_id = ?', id) > 0;
      const carePreferences = this.sql.run('DELETE FROM care_preferences WHERE user_id = ?', id) > 0;
      return { userId: id, events, user, profile, carePreferences, cachedLists };
    }, { users: [id] });
    const truncated = await truncateWal(this.connection(), this.opts.logger);
    return { ...removed, freedSpace: truncated ? 'overwritten' : 'wal-pending' };
  }

  /** Retention's purge, with the care of eraseUser: freed pages overwritten (secure_delete), then the WAL truncated. */
  async purgeEventsBefore(cutoff: Date): Promise<number> {
    const ms = dateOption(cutoff, '/cutoff');
    const purged = await this.sql.transaction(() => this.sql.run('DELETE FROM events WHERE ts < ?', ms));
    if (purged > 0) await truncateWal(this.connection(), this.opts.logger);
    return purged;
  }

  async saveArtifact(name: string, blob: Uint8Array, meta?: Record<string, unknown>): Promise<number> {
    return saveArtifact(this.sql, this.opts.clock, name, blob, meta);
  }

  async loadArtifact(name: string, version?: number): Promise<ArtifactRecord | undefined> {
    return loadArtifact(this.sql, name, version);
  }

  async listArtifacts(name: string, opts: { limit?: number } = {}): Promise<ArtifactInfo[]> {
    return listArtifacts(this.sql, name, opts);
  }

  async deleteArtifacts(name: string, versions: number[]): Promise<number> {
    return deleteArtifacts(this.sql, name, versions);
  }

  async tryLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return tryLease(this.sql, this.opts.clock, name, holder, ttlMs);
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    return releaseLease(this.sql, name, holder);
  }

  async putScenario(scenario: Scenario): Promise<void> {
    const { name, ...body } = canonicalScenario(scenario);
    await this.sql.transaction(() => this.sql.run(
      'INSERT INTO scenarios (name, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at',
      name, JSON.stringify(body), this.opts.clock.now(),
    ), {});
  }

  async getScenario(name: string): Promise<Scenario | undefined> {
    const row = await this.sql.get<ScenarioRow>('SELECT name, body FROM scenarios WHERE name = ?', scenarioNameOption(name));
    return row && scenarioFromRow(row);
  }

  async listScenarios(): Promise<Scenario[]> {
    return (await this.sql.all<ScenarioRow>('SELECT name, body FROM scenarios ORDER BY name')).map(scenarioFromRow);
  }

  async deleteScenario(name: string): Promise<boolean> {
    const key = scenarioNameOption(name);
    return (await this.sql.transaction(() => this.sql.run('DELETE FROM scenarios WHERE name = ?', key), {})) > 0;
  }

  async putProfile(record: ProfileRecord): Promise<void> {
    const { userId, json } = profileRecordJson(record);
    const sql = 'INSERT INTO profiles (user_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at';
    await this.sql.transaction(() => this.sql.run(sql, userId, json, this.opts.clock.now()), {});
  }

  async getProfile(userId: UserId): Promise<ProfileRecord | undefined> {
    const row = await this.sql.get<ProfileRow>('SELECT user_id, state FROM profiles WHERE user_id = ?', profileUserOption(userId));
    return row && profileFromRow(row);
  }

  async deleteProfile(userId: UserId): Promise<boolean> {
    const key = profileUserOption(userId);
    return (await this.sql.transaction(() => this.sql.run('DELETE FROM profiles WHERE user_id = ?', key), {})) > 0;
  }

  async putCarePreferences(record: CarePreferencesRecord): Promise<void> {
    const { userId, preferences } = canonicalCarePreferences(record);
    const sql = 'INSERT INTO care_preferences (user_id, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at';
    await this.sql.transaction(() => this.sql.run(sql, userId, JSON.stringify(preferences), this.opts.clock.now()), {});
  }

  async getCarePreferences(userId: UserId): Promise<CarePreferencesRecord | undefined> {
    const row = await this.sql.get<CarePreferencesRow>('SELECT user_id, body FROM care_preferences WHERE user_id = ?', profileUserOption(userId));
    return row && carePreferencesFromRow(row);
  }

  async deleteCarePreferences(userId: UserId): Promise<boolean> {
    const key = profileUserOption(userId);
    return (await this.sql.transaction(() => this.sql.run('DELETE FROM care_preferences WHERE user_id = ?', key), {})) > 0;
  }

  async putEmbeddings(records: EmbeddingRecord[]): Promise<void> {
    const rows = canonicalEmbeddings(records);
    const sql = `INSERT INTO embeddings (provider, item_id, text_hash, dims, vector) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (provider, item_id) DO UPDATE SET text_hash = excluded.text_hash, dims = excluded.dims,
      vector = excluded.vector`;
    await this.sql.transaction(() => {
      for (const r of rows) this.sql.run(sql, r.provider, r.itemId, r.textHash, r.vector.length, vectorBytes(r.vector));
    }, {});
  }

  async getEmbeddings(provider: string, itemIds?: ItemId[]): Promise<EmbeddingRecord[]> {
    const cols = 'provider, item_id, text_hash, dims, vector';
    if (itemIds === undefined) {
      return (await this.sql.all<EmbeddingRow>(`SELECT ${cols} FROM embeddings WHERE provider = ? ORDER BY item_id`, provider)).map(embeddingFromRow);
    }
    const rows = await this.sql.all<EmbeddingRow>(
      `SELECT ${cols} FROM embeddings WHERE provider = ? AND item_id IN (SELECT value FROM json_each(?))`, provider, JSON.stringify(itemIds));
    return inIdOrder(itemIds, new Map(rows.map((r) => [r.item_id, r])), embeddingFromRow);
  }

  /** A cache kept in this database's cache_lists table (`store://`); it shares the main connection. */
  openTableCache(clock: Clock): Cache {
    this.connection();
    return new SqliteCache(() => this.connection(), clock, this.opts.busyTimeoutMs);
  }

  private connection(): SqliteDatabase {
    if (!this.db) throw new EngineError('INTERNAL', 'store is closed');
    return this.db;
  }

  private writes(): WriteStatements {
    this.writeStatements ??= guard(() => prepareWrites(this.connection()), this.opts.logger);
    return this.writeStatements;
  }
}
