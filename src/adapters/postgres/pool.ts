import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { isConnectionFailure, isRetryableConflict, logFailure, pgError } from './errors.js';
import type { PostgresLocation } from './url.js';

/** What the store and its helpers need of a connection inside a transaction (or of the pool outside one). */
export interface Queryable {
  /** The rows of one statement. */
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs one statement; returns how many rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

export interface PoolOptions {
  /** `full`: a commit waits for the WAL flush; `normal`: synchronous_commit=off (a server crash may drop the last commits). */
  durability: 'full' | 'normal';
  /** lock_timeout of every connection: a write waiting longer for a row lock fails with CONFLICT. */
  lockTimeoutMs: number;
  /** How long a call waits for a free pooled connection (or a new one) before failing with STORE_UNAVAILABLE. */
  connectTimeoutMs: number;
  logger: Logger;
}

const INT8_OID = 20;
/** Deadlocks and serialization failures: this many attempts in all, with a short random pause between them. */
const CONFLICT_ATTEMPTS = 4;

// bigint columns hold epoch ms and counts, all far below 2^53: read them as numbers, not strings. Per pool, so
// other users of pg in the process keep the driver's defaults.
const typeParsers = {
  getTypeParser: ((oid: number, format?: string) => (oid === INT8_OID && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/** The application_name of a store's connections: `kindred:<schema>` (what operators see in pg_stat_activity). */
export function applicationName(schema: string): string {
  return `kindred:${schema}`.slice(0, 63);
}

/** Connection settings shared by the pool and the store's dedicated clients (bulk imports, notices). */
export function clientConfig(location: PostgresLocation, opts: Pick<PoolOptions, 'durability' | 'lockTimeoutMs' | 'connectTimeoutMs'>): pg.ClientConfig {
  // lock_timeout=0 would mean "wait forever" to PostgreSQL; to Kindred 0 means "do not wait".
  const settings = [`-c search_path=${location.schema}`, `-c lock_timeout=${Math.max(1, Math.round(opts.lockTimeoutMs))}`];
  if (opts.durability === 'normal') settings.push('-c synchronous_commit=off');
  return {
    connectionString: location.connectionString,
    application_name: applicationName(location.schema),
    options: settings.join(' '),
    connectionTimeoutMillis: opts.connectTimeoutMs,
    // TCP keep-alive: a connection dropped silently (a failover, a NAT forgetting it) is noticed, above all the
    // notice listener's, which otherwise sends nothing and would wait forever.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    types: typeParsers,
  };
}

/**
 * The store's `pg.Pool` and the ways it runs SQL: single statements (reads retried once on a fresh connection after a
 * connection loss), and transactions, re-run after a deadlock or serialization failure, and after a connection loss
 * that happened before COMMIT was sent (the server rolled the transaction back, so running it again is safe). A loss
 * during COMMIT leaves the outcome unknown: STORE_UNAVAILABLE, never a silent retry.
 *
 * @example const n = await runner.transaction((tx) => tx.run('DELETE FROM events WHERE user_id = $1', [id]));
 */
export class PgRunner implements Queryable {
  private readonly pool: pg.Pool;
  private closed = false;
  /** SQL text -> prepared statement name. */
  private readonly names = new Map<string, string>();

  constructor(location: PostgresLocation, private readonly opts: PoolOptions) {
    this.pool = new pg.Pool({ ...clientConfig(location, opts), max: location.poolSize, idleTimeoutMillis: 30_000 });
    // An idle connection whose backend went away (server restart, pg_terminate_backend) emits 'error' here; without
    // a listener that would crash the process. The pool drops the connection and opens a new one when needed.
    this.pool.on('error', (e) => logFailure(opts.logger, e));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /** A pooled connection (for transaction()); the caller listens for its 'error' events and releases it. */
  private async connect(): Promise<pg.PoolClient> {
    this.ensureOpen();
    try {
      return await this.pool.connect();
    } catch (e) {
      logFailure(this.opts.logger, e);
      throw pgError(e);
    }
  }

  async rows<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.statement(sql, params, true)).rows as R[];
  }

  /**
   * Like rows(), as a named prepared statement: each connection parses and plans the text once, not on every call
   * (history and item reads serve every request). Only for reads with explicit column lists, which a migration
   * adding columns cannot invalidate.
   */
  async prepared<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    let name = this.names.get(sql);
    if (name === undefined) this.names.set(sql, (name = `kindred_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`));
    return (await this.statement({ name, text: sql, values: params }, [], true)).rows as R[];
  }

  /** One auto-committed write; not retried after a connection loss (it may have been applied). */
  async run(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.statement(sql, params, false)).rowCount ?? 0;
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.connect();
      // A checked-out connection lost between two statements emits 'error' (the pool listens only to idle ones);
      // unheard, that would end the process. The next statement then fails, and is handled below.
      const onLost = (e: Error) => logFailure(this.opts.logger, e);
      client.on('error', onLost);
      const release = (err?: Error) => {
        client.removeListener('error', onLost);
        client.release(err);
      };
      let committing = false;
      try {
        await client.query('BEGIN');
        const result = await fn(queryableOf(client));
        committing = true;
        await client.query('COMMIT');
        release();
        return result;
      } catch (e) {
        const lost = isConnectionFailure(e);
        if (!lost) await client.query('ROLLBACK').catch(() => undefined);
        release(lost ? (e as Error) : undefined);
        if (!this.closed && this.shouldRetry(e, attempt, !committing)) {
          await sleep(2 + Math.random() * 10 * attempt);
          continue;
        }
        logFailure(this.opts.logger, e);
        throw pgError(e);
      }
    }
  }

  private async statement(sql: string | pg.QueryConfig, params: unknown[], idempotent: boolean): Promise<pg.QueryResult> {
    for (let attempt = 1; ; attempt++) {
      this.ensureOpen();
      try {
        return await (typeof sql === 'string' ? this.pool.query(sql, params) : this.pool.query(sql));
      } catch (e) {
        if (!this.closed && this.shouldRetry(e, attempt, idempotent)) {
          if (isRetryableConflict(e)) await sleep(2 + Math.random() * 10 * attempt);
          continue;
        }
        logFailure(this.opts.logger, e);
        throw pgError(e);
      }
    }
  }

  private shouldRetry(e: unknown, attempt: number, safeAfterLoss: boolean): boolean {
    if (isRetryableConflict(e)) return attempt < CONFLICT_ATTEMPTS;
    return safeAfterLoss && attempt === 1 && isConnectionFailure(e);
  }

  private ensureOpen(): void {
    if (this.closed) throw new EngineError('INTERNAL', 'store is closed');
  }
}

/** A client in a transaction seen as a Queryable (errors are translated by the transaction that owns it). */
export function queryableOf(client: pg.ClientBase): Queryable {
  return {
    rows: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
    run: async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rowCount ?? 0,
  };
}
