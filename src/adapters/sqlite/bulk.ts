import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Event, Item, User } from '../../core/types.js';
import { canonicalItems, canonicalUsers, checkedEvents } from '../../storage/records.js';
import type { AddEventsResult, BulkWriter } from '../../storage/store.js';
import { guard, openConnection, type SqliteDatabase } from './connection.js';
import { prepareWrites, writeEvents, writeItems, writeUsers, type WriteStatements } from './writes.js';

/** Page cache of an import connection (default 16 MiB): keeps the events' index pages in memory while batches land. */
const IMPORT_CACHE_KIB = 32 * 1024;

/**
 * One import as one transaction on its own connection. BEGIN IMMEDIATE takes the write lock up front; until COMMIT
 * the rows live only in this connection's uncommitted WAL frames, which other connections never read and which
 * recovery discards after a crash or SIGKILL. Each call runs in a savepoint, so a failed call leaves the earlier
 * calls of the import in place. While it is open, writes through the store's main connection wait (busy_timeout)
 * and then fail with CONFLICT; reads carry on.
 *
 * @example const w = await store.bulk(); try { await w.addEvents(batch); await w.commit(); } finally { await w.rollback(); }
 */
export class SqliteBulkWriter implements BulkWriter {
  private readonly writes: WriteStatements;
  private finished = false;
  private accepted = 0;

  private constructor(
    private readonly db: SqliteDatabase,
    private readonly logger: Logger,
    private readonly onFinish: (w: SqliteBulkWriter) => void,
  ) {
    this.writes = prepareWrites(db);
  }

  /** Opens the connection and the transaction; fails with CONFLICT when another writer holds the lock too long. */
  static begin(path: string, busyTimeoutMs: number, logger: Logger, onFinish: (w: SqliteBulkWriter) => void): SqliteBulkWriter {
    const db = openConnection(path, busyTimeoutMs);
    try {
      db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
      guard(() => db.exec('BEGIN IMMEDIATE'));
      return new SqliteBulkWriter(db, logger, onFinish);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  async upsertItems(items: Item[]): Promise<void> {
    this.ensureOpen();
    const rows = canonicalItems(items);
    guard(() => this.db.transaction(() => writeItems(this.writes, rows))());
  }

  async upsertUsers(users: User[]): Promise<void> {
    this.ensureOpen();
    const rows = canonicalUsers(users);
    guard(() => this.db.transaction(() => writeUsers(this.writes, rows))());
  }

  async addEvents(events: Event[]): Promise<AddEventsResult> {
    this.ensureOpen();
    const rows = checkedEvents(events);
    const result = guard(() => this.db.transaction(() => writeEvents(this.writes, rows))());
    this.accepted += result.accepted;
    return result;
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    try {
      guard(() => this.db.exec('COMMIT'));
    } catch (e) {
      this.end('ROLLBACK');
      throw e;
    }
    this.logger.debug('bulk import committed', { events: this.accepted });
    this.end();
  }

  /** Discards everything written through this writer; a no-op once finished, so it is safe in `finally`. */
  async rollback(): Promise<void> {
    if (!this.finished) this.end('ROLLBACK');
  }

  /** Called when the store closes with this writer still open: nothing of it is kept. */
  abandon(): void {
    if (!this.finished) this.end('ROLLBACK');
  }

  private end(statement?: 'ROLLBACK'): void {
    this.finished = true;
    try {
      if (statement && this.db.inTransaction) this.db.exec(statement);
    } finally {
      this.db.close(); // closing with an open transaction rolls it back too
      this.onFinish(this);
    }
  }

  private ensureOpen(): void {
    if (this.finished) throw new EngineError('CONFLICT', 'bulk writer already committed or rolled back');
  }
}
