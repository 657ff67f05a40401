import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Event, Item, User } from '../../core/types.js';
import { canonicalItems, canonicalUsers, checkedEvents } from '../../storage/records.js';
import type { AddEventsResult, BulkWriter } from '../../storage/store.js';
import { retryWhileBusy } from './busy.js';
import { guard, openConnection, type Durability, type SqliteDatabase } from './connection.js';
import type { FileIdentity } from './file-identity.js';
import { createStaging, publishStaged } from './staging.js';
import { writeEvents, writeItems, writeUsers, type WriteStatements } from './writes.js';

/** Page cache of the staging tables (default 16 MiB): keeps their index pages in memory while batches land. */
const STAGING_CACHE_KIB = 32 * 1024;
/** Page cache of the live tables for the publish (default 16 MiB): the events indexes of a large import fit in it. */
const PUBLISH_CACHE_KIB = 128 * 1024;

export interface SqliteBulkOptions {
  durability: Durability;
  /** How long commit() waits for another writer's lock before failing with CONFLICT. */
  busyTimeoutMs: number;
  logger: Logger;
  /** The store's database file, checked before the publish. */
  identity: FileIdentity;
}

/**
 * One import on its own connection. Each call writes its batch into that connection's staging tables (see
 * staging.ts) in a short transaction of its own, which never locks the database, so API writes and reads carry on
 * during the import; a failed call leaves the earlier calls in place. commit() copies everything staged into the live
 * tables in one IMMEDIATE transaction: the only time the import holds the write lock (about a second for 300,000
 * events, see docs/operations.md), and what makes the import all or nothing. Closing, rollback() or a killed process
 * drop the staging tables and leave the store as it was.
 *
 * @example const w = await store.bulk(); try { await w.addEvents(batch); await w.commit(); } finally { await w.rollback(); }
 */
export class SqliteBulkWriter implements BulkWriter {
  private finished = false;
  private staged = 0;

  private constructor(
    private readonly db: SqliteDatabase,
    private readonly staging: WriteStatements,
    private readonly opts: SqliteBulkOptions,
    private readonly onFinish: (w: SqliteBulkWriter) => void,
  ) {}

  /** Opens the import's connection and its staging tables. */
  static begin(path: string, opts: SqliteBulkOptions, onFinish: (w: SqliteBulkWriter) => void): SqliteBulkWriter {
    const db = openConnection(path, { durability: opts.durability }, opts.logger);
    try {
      const staging = guard(() => {
        db.pragma('temp_store = FILE');
        db.pragma(`main.cache_size = -${PUBLISH_CACHE_KIB}`);
        db.pragma('wal_autocheckpoint = 0'); // the store's checkpoint worker copies the published pages (checkpointer.ts)
        db.pragma(`temp.cache_size = -${STAGING_CACHE_KIB}`);
        return createStaging(db);
      }, opts.logger);
      return new SqliteBulkWriter(db, staging, opts, onFinish);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  async upsertItems(items: Item[]): Promise<void> {
    this.ensureOpen();
    const rows = canonicalItems(items);
    await this.stage(() => writeItems(this.staging, rows));
  }

  async upsertUsers(users: User[]): Promise<void> {
    this.ensureOpen();
    const rows = canonicalUsers(users);
    await this.stage(() => writeUsers(this.staging, rows));
  }

  /** Counts are final unless an API write stores one of these ids before commit (it then counts for the API). */
  async addEvents(events: Event[]): Promise<AddEventsResult> {
    this.ensureOpen();
    const rows = checkedEvents(events);
    const result = await this.stage(() => writeEvents(this.staging, rows));
    this.staged += result.accepted;
    return result;
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    let published: number;
    try {
      this.opts.identity.check();
      published = await retryWhileBusy(() => this.db.transaction(() => publishStaged(this.db)).immediate(), this.opts.busyTimeoutMs, this.opts.logger);
    } catch (e) {
      this.end();
      throw e;
    }
    this.opts.logger.debug('bulk import committed', { events: published, raced: this.staged - published });
    this.end();
  }

  /** Discards everything written through this writer; a no-op once finished, so it is safe in `finally`. */
  async rollback(): Promise<void> {
    if (!this.finished) this.end();
  }

  /** Called when the store closes with this writer still open: nothing of it is kept. */
  abandon(): void {
    if (!this.finished) this.end();
  }

  // Staging touches only TEMP tables, but reads the live events table (duplicate check), which can meet a lock
  // briefly while a writer's WAL is recovered or reset: retried like any write.
  private stage<T>(write: () => T): Promise<T> {
    return retryWhileBusy(() => this.db.transaction(write)(), this.opts.busyTimeoutMs, this.opts.logger);
  }

  private end(): void {
    this.finished = true;
    try {
      this.db.close(); // drops the staging tables (and rolls back anything open)
    } finally {
      this.onFinish(this);
    }
  }

  private ensureOpen(): void {
    if (this.finished) throw new EngineError('CONFLICT', 'bulk writer already committed or rolled back');
  }
}
