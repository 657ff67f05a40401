import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Event, Item, ItemId, StoredEvent, User, UserId } from '../../core/types.js';
import type { Cache } from '../../storage/cache.js';
import { canonicalCarePreferences } from '../../storage/care-preferences-record.js';
import { ARTIFACTS_CHANNEL, type StoreNotices } from '../../storage/notices.js';
import { profileRecordJson, profileUserOption } from '../../storage/profile-record.js';
import { pagesOf } from '../../storage/paging.js';
import {
  batchSizeOption, canonicalEmbeddings, canonicalItems, canonicalUsers, checkedEvents, checkedSentiments, dateOption, DEFAULT_SCAN_BATCH, historyOptions,
  pageOption, scanOptions, typesOption,
} from '../../storage/records.js';
import { canonicalScenario, scenarioNameOption } from '../../storage/scenario-record.js';
import type {
  AddEventsResult, ArtifactInfo, ArtifactRecord, BulkWriter, CarePreferencesRecord, EmbeddingRecord, EraseReport, EventBucketCount, EventCountsOptions, EventSentiment,
  EventSpan, HistoryOptions, PageOptions, ProfileRecord, Scenario, ScanOptions, Store, StoreCounts,
} from '../../storage/store.js';
import { deleteArtifacts, listArtifacts, loadArtifact, saveArtifact } from './artifacts.js';
import { eventCounts, eventSpan } from './event-counts.js';
import { releaseLease, tryLease } from './leases.js';
import { PostgresBulkWriter } from './bulk.js';
import { PostgresCache } from './cache.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { NoticeListener, scopedChannel } from './notices.js';
import { clientConfig, PgRunner, type PoolOptions } from './pool.js';
import {
  carePreferencesFromRow, EVENT_COLUMNS, embeddingFromRow, eventFromRow, inIdOrder, ITEM_COLUMNS, itemFromRow, profileFromRow, scenarioFromRow, USER_COLUMNS,
  userFromRow, vectorBytes, type CarePreferencesRow, type EmbeddingRow, type EventRow, type ItemRow, type ProfileRow, type ScenarioRow, type UserRow,
} from './rows.js';
import type { PostgresLocation } from './url.js';
import { writeEvents, writeItems, writeUsers } from './writes.js';

/** Below every valid event time (JS dates end at ±8.64e15 ms). */
const BEFORE_ALL_TIME = -8.64e15 - 1;

export interface PostgresStoreOptions extends PoolOptions {
  clock: Clock;
  logger: Logger;
}

/**
 * `postgres://`: the scale-out system of record, Kindred's tables in one schema of a PostgreSQL database, reached
 * through node-postgres (`pg`, the well-kept PostgreSQL client of Node) with a `pg.Pool`. Several servers share it:
 * migrations, artifact versions and leases are safe under concurrency, and saved artifacts are announced to every
 * listening server (LISTEN/NOTIFY, scoped to the schema). Each bulk() import runs on its own connection with COPY.
 * A lost connection fails the calls it hits with STORE_UNAVAILABLE; the pool opens new connections by itself.
 *
 * @example const store = await openStore('postgres://kindred@db:5432/shop?schema=eu'); await store.counts();
 */
export class PostgresStore implements Store, StoreNotices {
  readonly kind = 'postgres';
  private readonly db: PgRunner;
  private readonly listener: NoticeListener;
  private readonly writers = new Set<PostgresBulkWriter>();

  constructor(readonly location: PostgresLocation, private readonly opts: PostgresStoreOptions) {
    this.db = new PgRunner(location, opts);
    this.listener = new NoticeListener(clientConfig(location, opts), opts.logger);
  }

  /** The schema holding the store's tables. */
  get schema(): string {
    return this.location.schema;
  }

  /** The runner of the store's pool (the store:// cache and tests share it). */
  get runner(): PgRunner {
    return this.db;
  }

  async migrate(): Promise<void> {
    await migrate(this.db, this.schema, MIGRATIONS, this.opts.clock, this.opts.logger);
  }

  /** One round trip (`SELECT 1`): STORE_UNAVAILABLE when the server cannot be reached. */
  async health(): Promise<void> {
    await this.db.rows('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.db.isClosed) return;
    await Promise.all([...this.writers].map((w) => w.abandon()));
    await this.listener.close();
    await this.db.close();
  }

  async upsertItems(items: Item[]): Promise<void> {
    const rows = canonicalItems(items);
    await writeItems(this.db, rows);
  }

  async upsertUsers(users: User[]): Promise<void> {
    const rows = canonicalUsers(users);
    await writeUsers(this.db, rows);
  }

  async getItems(ids: ItemId[]): Promise<Item[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.prepared<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = ANY($1::text[])`, [ids]);
    return inIdOrder(ids, new Map(rows.map((r) => [r.id, r])), itemFromRow);
  }

  async getUser(id: UserId): Promise<User | undefined> {
    const [row] = await this.db.prepared<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return row && userFromRow(row);
  }

  async deleteItem(id: ItemId): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM events WHERE item_id = $1', [id]);
      await tx.run('DELETE FROM embeddings WHERE item_id = $1', [id]);
      return (await tx.run('DELETE FROM items WHERE id = $1', [id])) > 0;
    });
  }

  /** One INSERT ... ON CONFLICT (id) DO NOTHING: atomic and idempotent by event id. */
  async addEvents(events: Event[]): Promise<AddEventsResult> {
    const rows = checkedEvents(events);
    this.ensureOpen();
    return writeEvents(this.db, rows);
  }

  async setEventSentiments(scores: readonly EventSentiment[]): Promise<number> {
    // The first score of an id wins, as when each is written in turn (a row with a score takes no other).
    const valid = [...new Map(checkedSentiments(scores).reverse().map((s) => [s.id, s])).values()];
    if (valid.length === 0) return 0;
    return this.db.run(`UPDATE events AS e SET sentiment = s.sentiment FROM unnest($1::text[], $2::float8[]) AS s (id, sentiment)
      WHERE e.id = s.id AND e.sentiment IS NULL AND e.text IS NOT NULL`, [valid.map((s) => s.id), valid.map((s) => s.sentiment)]);
  }

  async history(userId: UserId, opts: HistoryOptions = {}): Promise<StoredEvent[]> {
    const { limit, types, since, before } = historyOptions(opts);
    const params: unknown[] = [userId];
    let sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE user_id = $1`;
    if (since !== undefined) sql += ` AND ts >= $${params.push(since)}`;
    if (before !== undefined) sql += ` AND (ts, id) < ($${params.push(before.ms)}, $${params.push(before.id)})`;
    if (types !== undefined) sql += ` AND type = ANY($${params.push(types)}::text[])`;
    sql += ' ORDER BY ts DESC, id DESC';
    if (limit !== undefined) sql += ` LIMIT $${params.push(limit)}`;
    return (await this.db.prepared<EventRow>(sql, params)).map(eventFromRow);
  }

  eventSpan(opts?: { itemId?: ItemId }): Promise<EventSpan | undefined> {
    return eventSpan(this.db, opts);
  }

  eventCounts(opts: EventCountsOptions): Promise<EventBucketCount[]> {
    return eventCounts(this.db, opts);
  }

  async *scanEvents(opts: ScanOptions = {}): AsyncIterable<StoredEvent[]> {
    const { size, types, since, until } = scanOptions(opts);
    // Keyset pagination on the (ts, id) index: each batch resumes after the last row, so writes between batches
    // neither repeat nor skip earlier rows. Ids are never empty, so (since, '') precedes every row at `since`.
    const params: unknown[] = [since ?? BEFORE_ALL_TIME, ''];
    let sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE (ts, id) > ($1, $2)`;
    if (until !== undefined) sql += ` AND ts < $${params.push(until)}`;
    if (types !== undefined) sql += ` AND type = ANY($${params.push(types)}::text[])`;
    sql += ` ORDER BY ts, id LIMIT $${params.push(size)}`;
    for (;;) {
      const rows = await this.db.rows<EventRow>(sql, params);
      if (rows.length > 0) yield rows.map(eventFromRow);
      if (rows.length < size) return;
      const last = rows[rows.length - 1];
      params[0] = last.ts;
      params[1] = last.id;
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
    return (await this.db.rows<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id > $1 ORDER BY id LIMIT $2`, [after, limit])).map(itemFromRow);
  }

  async listUsers(opts: PageOptions): Promise<User[]> {
    const { after, limit } = pageOption(opts);
    return (await this.db.rows<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT $2`, [after, limit])).map(userFromRow);
  }

  async counts(): Promise<StoreCounts> {
    const [row] = await this.db.rows<StoreCounts>(`SELECT (SELECT COUNT(*) FROM items) AS items, (SELECT COUNT(*) FROM users) AS users,
      (SELECT COUNT(*) FROM events) AS events`);
    return row;
  }

  async itemCount(): Promise<number> {
    const [row] = await this.db.rows<{ n: number }>('SELECT COUNT(*) AS n FROM items');
    return Number(row.n);
  }

  async bulk(): Promise<BulkWriter> {
    this.ensureOpen();
    const writer = await PostgresBulkWriter.begin(clientConfig(this.location, this.opts), this.opts.logger, (w) => this.writers.delete(w));
    if (this.db.isClosed) {
      await writer.abandon(); // the store closed while the import was connecting
      this.ensureOpen();
    }
    this.writers.add(writer);
    return writer;
  }

  /** Also drops cached lists made for the user (the `store://` cache lives in this schema). */
  async deleteEvents(userId: UserId, match: { itemId: ItemId; types?: string[] }): Promise<number> {
    const types = typesOption(match.types);
    const sql = 'DELETE FROM events WHERE user_id = $1 AND item_id = $2';
    return types === undefined ? this.db.run(sql, [userId, match.itemId]) : this.db.run(`${sql} AND type = ANY($3::text[])`, [userId, match.itemId, types]);
  }

  async eraseUser(id: UserId): Promise<EraseReport> {
    return this.db.transaction(async (tx) => {
      const events = await tx.run('DELETE FROM events WHERE user_id = $1', [id]);
      const user = (await tx.run('DELETE FROM users WHERE id = $1', [id])) > 0;
      const cachedLists = await tx.run('DELETE FROM cache_lists WHERE subject = $1', [id]);
      const profile = (await tx.run('DELETE FROM profiles WHERE user_id = $1', [id])) > 0;
      const carePreferences = (await tx.run('DELETE FROM care_preferences WHERE user_id = $1', [id])) > 0;
      // Dead tuples keep the bytes until VACUUM reuses their space: not run per erase (it scans whole indexes); see docs/privacy.md.
      return { userId: id, events, user, profile, carePreferences, cachedLists, freedSpace: 'until-vacuum' };
    });
  }

  async purgeEventsBefore(cutoff: Date): Promise<number> {
    const ms = dateOption(cutoff, '/cutoff');
    return this.db.run('DELETE FROM events WHERE ts < $1', [ms]);
  }

  /** Also announces `<name>:<version>` on ARTIFACTS_CHANNEL, in the same transaction. */
  async saveArtifact(name: string, blob: Uint8Array, meta?: Record<string, unknown>): Promise<number> {
    return saveArtifact(this.db, this.opts.clock, scopedChannel(this.schema, ARTIFACTS_CHANNEL), name, blob, meta);
  }

  async loadArtifact(name: string, version?: number): Promise<ArtifactRecord | undefined> {
    return loadArtifact(this.db, name, version);
  }

  async listArtifacts(name: string, opts: { limit?: number } = {}): Promise<ArtifactInfo[]> {
    return listArtifacts(this.db, name, opts);
  }

  async deleteArtifacts(name: string, versions: number[]): Promise<number> {
    return deleteArtifacts(this.db, name, versions);
  }

  async tryLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return tryLease(this.db, this.opts.clock, name, holder, ttlMs);
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    return releaseLease(this.db, name, holder);
  }

  /** NOTIFY on the channel scoped to this store's schema: every listening store on the schema hears it (this one too). */
  async notify(channel: string, payload: string): Promise<void> {
    await this.db.run('SELECT pg_notify($1, $2)', [scopedChannel(this.schema, channel), payload]);
  }

  /** LISTEN on one dedicated connection per store, re-established after a connection loss. */
  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    this.ensureOpen();
    return this.listener.listen(scopedChannel(this.schema, channel), onMessage);
  }

  async putScenario(scenario: Scenario): Promise<void> {
    const { name, ...body } = canonicalScenario(scenario);
    await this.db.run(
      'INSERT INTO scenarios (name, body, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at',
      [name, JSON.stringify(body), this.opts.clock.now()],
    );
  }

  async getScenario(name: string): Promise<Scenario | undefined> {
    const [row] = await this.db.rows<ScenarioRow>('SELECT name, body FROM scenarios WHERE name = $1', [scenarioNameOption(name)]);
    return row && scenarioFromRow(row);
  }

  async listScenarios(): Promise<Scenario[]> {
    return (await this.db.rows<ScenarioRow>('SELECT name, body FROM scenarios ORDER BY name')).map(scenarioFromRow);
  }

  async deleteScenario(name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM scenarios WHERE name = $1', [scenarioNameOption(name)])) > 0;
  }

  async putProfile(record: ProfileRecord): Promise<void> {
    const { userId, json } = profileRecordJson(record);
    await this.db.run('INSERT INTO profiles (user_id, state, updated_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
      [userId, json, this.opts.clock.now()]);
  }

  async getProfile(userId: UserId): Promise<ProfileRecord | undefined> {
    const [row] = await this.db.prepared<ProfileRow>('SELECT user_id, state FROM profiles WHERE user_id = $1', [profileUserOption(userId)]);
    return row && profileFromRow(row);
  }

  async deleteProfile(userId: UserId): Promise<boolean> {
    return (await this.db.run('DELETE FROM profiles WHERE user_id = $1', [profileUserOption(userId)])) > 0;
  }

  async putCarePreferences(record: CarePreferencesRecord): Promise<void> {
    const { userId, preferences } = canonicalCarePreferences(record);
    await this.db.run('INSERT INTO care_preferences (user_id, body, updated_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at',
      [userId, JSON.stringify(preferences), this.opts.clock.now()]);
  }

  async getCarePreferences(userId: UserId): Promise<CarePreferencesRecord | undefined> {
    const [row] = await this.db.prepared<CarePreferencesRow>('SELECT user_id, body FROM care_preferences WHERE user_id = $1', [profileUserOption(userId)]);
    return row && carePreferencesFromRow(row);
  }

  async deleteCarePreferences(userId: UserId): Promise<boolean> {
    return (await this.db.run('DELETE FROM care_preferences WHERE user_id = $1', [profileUserOption(userId)])) > 0;
  }

  async putEmbeddings(records: EmbeddingRecord[]): Promise<void> {
    const rows = canonicalEmbeddings(records);
    if (rows.length === 0) return;
    // The last record of an (item, provider) wins, as one statement may not upsert a row twice.
    const last = [...new Map(rows.map((r) => [JSON.stringify([r.provider, r.itemId]), r])).values()];
    await this.db.run(`INSERT INTO embeddings (provider, item_id, text_hash, dims, vector)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bytea[])
      ON CONFLICT (provider, item_id) DO UPDATE SET text_hash = excluded.text_hash, dims = excluded.dims, vector = excluded.vector`,
    [last.map((r) => r.provider), last.map((r) => r.itemId), last.map((r) => r.textHash), last.map((r) => r.vector.length), last.map((r) => vectorBytes(r.vector))]);
  }

  async getEmbeddings(provider: string, itemIds?: ItemId[]): Promise<EmbeddingRecord[]> {
    const cols = 'provider, item_id, text_hash, dims, vector';
    if (itemIds === undefined) {
      return (await this.db.rows<EmbeddingRow>(`SELECT ${cols} FROM embeddings WHERE provider = $1 ORDER BY item_id`, [provider])).map(embeddingFromRow);
    }
    const rows = await this.db.prepared<EmbeddingRow>(`SELECT ${cols} FROM embeddings WHERE provider = $1 AND item_id = ANY($2::text[])`, [provider, itemIds]);
    return inIdOrder(itemIds, new Map(rows.map((r) => [r.item_id, r])), embeddingFromRow);
  }

  /** A cache kept in this schema's cache_lists table (`store://`); it shares the store's pool. */
  openTableCache(clock: Clock): Cache {
    this.ensureOpen();
    return new PostgresCache(this.db, clock);
  }

  private ensureOpen(): void {
    if (this.db.isClosed) throw new EngineError('INTERNAL', 'store is closed');
  }
}
