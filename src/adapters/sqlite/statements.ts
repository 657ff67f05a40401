import type { Statement } from 'better-sqlite3';
import type { Logger } from '../../core/logger.js';
import { isBusyError, retryWhileBusy } from './busy.js';
import { guard, type SqliteDatabase } from './connection.js';
import type { FileIdentity } from './file-identity.js';
import type { CachedChanges } from './read-cache.js';

/** A write transaction waiting for the next group commit. */
interface PendingWrite {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * The main connection's prepared statements (each SQL text prepared once) and the ways the store runs them: write
 * transactions, reads retried while the database is busy, and writes inside a transaction.
 *
 * @example const n = await sql.transaction(() => sql.run('DELETE FROM events WHERE user_id = ?', userId));
 */
export class SqliteStatements {
  private readonly prepared = new Map<string, Statement>();
  private pending: PendingWrite[] = [];

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
   *
   * Group commit: the write transactions asked for in one turn of the event loop run together at its end, each in
   * its own savepoint of one transaction, so they share one commit (one WAL sync with durability full, which blocks
   * the thread for milliseconds). Each still succeeds or fails on its own, and resolves only once committed: an
   * acknowledged write is as durable as before.
   */
  transaction<T>(fn: () => T, changes: CachedChanges = 'all'): Promise<T> {
    try {
      this.connection();
      this.identity.check();
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<T>((resolve, reject) => {
      const write = () => {
        this.onWrite(changes); // inside the transaction: no read runs between the write and the forgetting
        return fn();
      };
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  /** Runs the waiting write transactions now, in one commit (the store calls this before it closes). */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    try {
      const db = this.connection();
      this.identity.check();
      await retryWhileBusy(() => db.transaction(() => {
        outcomes.length = 0; // a busy retry runs the whole group again
        for (const { write } of batch) {
          try {
            outcomes.push({ ok: true, value: db.transaction(write)() }); // a savepoint: a failure undoes only its own writes
          } catch (err) {
            // SQLite rolled the whole transaction back (disk full, I/O), or the lock was lost: the group fails (or retries)
            if (!db.inTransaction || isBusyError(err)) throw err;
            outcomes.push({ ok: false, err });
          }
        }
      }).immediate(), this.busyTimeoutMs, this.logger);
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o.ok) p.resolve(o.value);
      else p.reject(o.err);
    });
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
