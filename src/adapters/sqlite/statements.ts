import type { Statement } from 'better-sqlite3';
import type { Logger } from '../../core/logger.js';
import { retryWhileBusy } from './busy.js';
import { guard, type SqliteDatabase } from './connection.js';
import type { FileIdentity } from './file-identity.js';
import type { CachedChanges } from './read-cache.js';

/**
 * The main connection's prepared statements (each SQL text prepared once) and the ways the store runs them: write
 * transactions, reads retried while the database is busy, and writes inside a transaction.
 *
 * @example const n = await sql.transaction(() => sql.run('DELETE FROM events WHERE user_id = ?', userId));
 */
export class SqliteStatements {
  private readonly prepared = new Map<string, Statement>();

  constructor(
    /** The open connection (throws once the store is closed). */
    private readonly connection: () => SqliteDatabase,
    private readonly identity: FileIdentity,
    private readonly busyTimeoutMs: number,
    private readonly logger: Logger,
    /** Told, inside each write transaction, what it changes (the store's read cache forgets it). */
    private readonly onWrite: (changes: CachedChanges) => void = () => undefined,
  ) {}

  /** Forgets every prepared statement (the connection closed). */
  clear(): void {
    this.prepared.clear();
  }

  /**
   * One write transaction: checks the file first, takes the write lock up front, retries while it is busy.
   * `changes` says what it writes that the read cache keeps (default 'all': a write that does not say clears it).
   */
  async transaction<T>(fn: () => T, changes: CachedChanges = 'all'): Promise<T> {
    const db = this.connection();
    this.identity.check();
    const write = () => {
      this.onWrite(changes); // inside the transaction: no read runs between the write and the forgetting
      return fn();
    };
    return retryWhileBusy(() => db.transaction(write).immediate(), this.busyTimeoutMs, this.logger);
  }

  all<T>(sql: string, ...params: unknown[]): Promise<T[]> {
    return retryWhileBusy(() => this.statement(sql).all(...params) as T[], this.busyTimeoutMs, this.logger);
  }

  get<T>(sql: string, ...params: unknown[]): Promise<T | undefined> {
    return retryWhileBusy(() => this.statement(sql).get(...params) as T | undefined, this.busyTimeoutMs, this.logger);
  }

  /** One row, read synchronously inside transaction(). */
  row<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  /** Runs a write statement inside transaction(); returns the number of changed rows. */
  run(sql: string, ...params: unknown[]): number {
    return guard(() => this.statement(sql).run(...params).changes, this.logger);
  }

  private statement(sql: string): Statement {
    let s = this.prepared.get(sql);
    if (!s) this.prepared.set(sql, (s = guard(() => this.connection().prepare(sql), this.logger)));
    return s;
  }
}
