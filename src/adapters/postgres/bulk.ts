import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Event, Item, User } from '../../core/types.js';
import { canonicalItems, canonicalUsers, checkedEvents, type CheckedEvent } from '../../storage/records.js';
import type { AddEventsResult, BulkWriter } from '../../storage/store.js';
import { isConnectionFailure, logFailure, pgError } from './errors.js';
import { queryableOf } from './pool.js';
import { EVENT_COLUMNS } from './rows.js';
import { writeItems, writeUsers } from './writes.js';

/** Rows per string handed to the COPY stream: large enough to amortise the stream's overhead, small in memory. */
const ROWS_PER_CHUNK = 2000;

// Dropped with the transaction (commit or rollback) and invisible to every other connection.
const CREATE_STAGING = `CREATE TEMP TABLE staged_events (
  id text, user_id text, item_id text, type text, value float8, ts bigint, text text, sentiment float8, ord integer
) ON COMMIT DROP`;
// ORDER BY ord: file order, so of two rows with one id the first is kept (as a direct addEvents does).
const PUBLISH_BATCH = `INSERT INTO events (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM staged_events ORDER BY ord ON CONFLICT (id) DO NOTHING`;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One field in COPY's text format: `\N` for NULL, backslash escapes for the characters that delimit rows and fields. */
function copyField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v); // shortest exact form; float8 and bigint input read it back exactly
  return v.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]);
}

/** The batch as COPY text lines, in chunks. */
function* copyChunks(rows: CheckedEvent[]): Generator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    let chunk = '';
    for (let i = start; i < Math.min(rows.length, start + ROWS_PER_CHUNK); i++) {
      const { event: e, ms } = rows[i];
      chunk += `${copyField(e.id)}\t${copyField(e.userId)}\t${copyField(e.itemId)}\t${copyField(e.type)}\t${copyField(e.value)}\t${ms}\t${copyField(e.text)}\t${copyField(e.sentiment)}\t${i}\n`;
    }
    yield chunk;
  }
}

/**
 * One import in one transaction on its own connection (outside the store's pool, so an import never starves API
 * calls of connections). Each addEvents call streams its batch with `COPY ... FROM STDIN` into a temporary staging
 * table, then moves it into `events` with `INSERT ... SELECT ... ON CONFLICT (id) DO NOTHING`, whose row count gives
 * the accepted events (duplicates: of the store, of earlier calls, or within the batch). Each call runs under a
 * savepoint, so a rejected call leaves the earlier ones in place. Nothing is visible to other connections until
 * commit(); rollback(), closing the store or a killed process leave the store as it was.
 *
 * An API write of an event id the open import has also written waits for the import to finish (row lock), then counts
 * it as a duplicate; with lock_timeout it fails with CONFLICT instead.
 *
 * @example const w = await store.bulk(); try { await w.addEvents(batch); await w.commit(); } finally { await w.rollback(); }
 */
export class PostgresBulkWriter implements BulkWriter {
  private finished = false;
  /** Calls run one after another: a connection runs one COPY or statement at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly client: pg.Client,
    private readonly logger: Logger,
    private readonly onFinish: (w: PostgresBulkWriter) => void,
  ) {}

  /** Opens the import's connection, its transaction and its staging table. */
  static async begin(config: pg.ClientConfig, logger: Logger, onFinish: (w: PostgresBulkWriter) => void): Promise<PostgresBulkWriter> {
    const client = new pg.Client(config);
    client.on('error', (e) => logFailure(logger, e)); // a lost connection also fails the next call
    try {
      await client.connect();
      await client.query('BEGIN');
      await client.query(CREATE_STAGING);
    } catch (e) {
      await client.end().catch(() => undefined);
      logFailure(logger, e);
      throw pgError(e);
    }
    return new PostgresBulkWriter(client, logger, onFinish);
  }

  async upsertItems(items: Item[]): Promise<void> {
    this.ensureOpen();
    const rows = canonicalItems(items);
    await this.step(() => writeItems(queryableOf(this.client), rows));
  }

  async upsertUsers(users: User[]): Promise<void> {
    this.ensureOpen();
    const rows = canonicalUsers(users);
    await this.step(() => writeUsers(queryableOf(this.client), rows));
  }

  async addEvents(events: Event[]): Promise<AddEventsResult> {
    this.ensureOpen();
    const rows = checkedEvents(events);
    if (rows.length === 0) return { accepted: 0, duplicates: 0 };
    return this.step(async () => {
      await this.client.query('TRUNCATE staged_events');
      await pipeline(Readable.from(copyChunks(rows)), this.client.query(copyStreams.from('COPY staged_events FROM STDIN')));
      const accepted = (await this.client.query(PUBLISH_BATCH)).rowCount ?? 0;
      return { accepted, duplicates: rows.length - accepted };
    });
  }

  async commit(): Promise<void> {
    this.ensureOpen();
    await this.serially(async () => {
      this.ensureOpen();
      try {
        await this.client.query('COMMIT');
      } catch (e) {
        logFailure(this.logger, e);
        throw pgError(e);
      } finally {
        await this.end();
      }
    });
  }

  /** Discards everything written through this writer; a no-op once finished, so it is safe in `finally`. */
  async rollback(): Promise<void> {
    await this.serially(async () => {
      if (this.finished) return;
      await this.client.query('ROLLBACK').catch(() => undefined);
      await this.end();
    });
  }

  /** Called when the store closes with this writer still open: closing the connection rolls the transaction back. */
  async abandon(): Promise<void> {
    if (!this.finished) await this.end();
  }

  /** One call under a savepoint: a failure undoes that call only (and a lost connection ends the writer). */
  private step<T>(fn: () => Promise<T>): Promise<T> {
    return this.serially(async () => {
      this.ensureOpen();
      await this.client.query('SAVEPOINT bulk_call').catch((e: unknown) => this.fail(e));
      try {
        const result = await fn();
        await this.client.query('RELEASE SAVEPOINT bulk_call');
        return result;
      } catch (e) {
        if (!isConnectionFailure(e)) await this.client.query('ROLLBACK TO SAVEPOINT bulk_call').catch(() => undefined);
        return this.fail(e);
      }
    });
  }

  private async fail(e: unknown): Promise<never> {
    logFailure(this.logger, e);
    if (isConnectionFailure(e)) await this.end();
    throw pgError(e);
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async end(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      await this.client.end().catch(() => undefined);
    } finally {
      this.onFinish(this);
    }
  }

  private ensureOpen(): void {
    if (this.finished) throw new EngineError('CONFLICT', 'bulk writer already committed or rolled back');
  }
}
