import Database from 'better-sqlite3';
import { EngineError, isEngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';

export type SqliteDatabase = Database.Database;

/** What a commit promises on power loss: `full` syncs the WAL on every commit, `normal` only at checkpoints. */
export type Durability = 'full' | 'normal';

/** How long a write waits, by default, for another writer's lock (asynchronously) before failing with CONFLICT. */
export const BUSY_TIMEOUT_MS = 10_000;

export interface ConnectionOptions {
  durability: Durability;
}

/**
 * Opens one connection with the settings every Kindred connection shares: WAL (readers never block the writer and a
 * crash drops an uncommitted tail), synchronous FULL or NORMAL (see Durability), foreign keys, secure_delete (freed
 * space is zeroed), and busy_timeout 0:
 * SQLite's busy handler sleeps synchronously, which would stall the event loop, so a locked database fails at once
 * and callers retry asynchronously (see retryWhileBusy). Fails with STORE_CORRUPT on a file that is not a database.
 *
 * @example const db = openConnection('/tmp/kindred.db', { durability: 'full' });
 */
export function openConnection(path: string, opts: ConnectionOptions = { durability: 'full' }, logger?: Logger): SqliteDatabase {
  return guard(() => {
    const db = new Database(path, { timeout: 0 });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${opts.durability === 'full' ? 'FULL' : 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      // Deleted rows are overwritten with zeros, not left in free pages (erase: docs/privacy.md).
      db.pragma('secure_delete = ON');
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  }, logger);
}

const TRUNCATE_TRIES = 50;
const TRUNCATE_PAUSE_MS = 20;

/**
 * Copies the WAL into the database file and truncates it to zero bytes, so no older frame keeps deleted rows. A reader
 * in the middle of a transaction blocks the truncation: it is retried on timers (about a second in all). Returns
 * whether it truncated; when not, old frames stay in the WAL until later writes overwrite them or a later erase
 * truncates it. Never throws: the erase before it has committed, and must not be reported as failed.
 *
 * @example await truncateWal(db) // true
 */
export async function truncateWal(db: SqliteDatabase, logger?: Logger): Promise<boolean> {
  for (let attempt = 0; attempt < TRUNCATE_TRIES; attempt++) {
    const outcome = checkpointTruncate(db, logger);
    if (outcome === 'done') return true;
    if (outcome === 'failed') break;
    await new Promise((resolve) => setTimeout(resolve, TRUNCATE_PAUSE_MS));
  }
  logger?.warn('WAL not truncated after an erase; its old frames may hold deleted rows until overwritten');
  return false;
}

/** One TRUNCATE checkpoint: done, busy (a reader or writer holds a lock it needs) or failed (logged by guard). */
function checkpointTruncate(db: SqliteDatabase, logger?: Logger): 'done' | 'busy' | 'failed' {
  try {
    const [row] = guard(() => db.pragma('wal_checkpoint(TRUNCATE)'), logger) as Array<{ busy: number }>;
    return row !== undefined && row.busy !== 0 ? 'busy' : 'done';
  } catch (err) {
    if (!isEngineError(err)) throw err;
    return err.code === 'CONFLICT' ? 'busy' : 'failed';
  }
}

function sqliteCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** True for SQLITE_BUSY and its extended codes (another connection holds the lock we need). */
export function isBusyCode(code: string): boolean {
  return code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_');
}

const CORRUPT = /^SQLITE_(CORRUPT|NOTADB)(_|$)/;
const UNAVAILABLE = /^SQLITE_(IOERR|READONLY|FULL|CANTOPEN|PERM|NOLFS)(_|$)/;

/**
 * The EngineError for a SQLite failure. Its message and details are fixed texts and the SQLite code: SQLite's own
 * message (which may name tables, paths or values) is only logged.
 *
 * @example storeError('SQLITE_NOTADB').code // 'STORE_CORRUPT'
 */
export function storeError(code: string): EngineError {
  if (isBusyCode(code)) {
    return new EngineError('CONFLICT', 'the database is locked by another writer (a bulk import?); retry later', { sqlite: code });
  }
  if (CORRUPT.test(code)) {
    return new EngineError('STORE_CORRUPT', 'the database file is damaged; restore it from a backup', { sqlite: code });
  }
  if (UNAVAILABLE.test(code)) {
    return new EngineError('STORE_UNAVAILABLE', 'the database cannot be written or read (disk full, read-only or failing?)', { sqlite: code });
  }
  return new EngineError('INTERNAL', 'unexpected database error', { sqlite: code });
}

/**
 * Runs a database call, translating SQLite failures into EngineErrors with stable codes (see storeError); SQLite's
 * message goes to the logger, never into the error.
 *
 * @example const n = guard(() => db.prepare('SELECT 1').pluck().get(), logger);
 */
export function guard<T>(fn: () => T, logger?: Logger): T {
  try {
    return fn();
  } catch (e) {
    const code = sqliteCode(e);
    if (code === undefined) throw e;
    if (!isBusyCode(code)) logger?.error('sqlite failure', { sqlite: code, reason: (e as Error).message });
    throw storeError(code);
  }
}
