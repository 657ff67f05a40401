import Database from 'better-sqlite3';
import { EngineError } from '../../core/errors.js';

export type SqliteDatabase = Database.Database;

/** How long a connection waits, by default, for another writer's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens one connection with the settings every Kindred connection shares: WAL (readers never block the writer and a
 * crash drops an uncommitted tail), synchronous=NORMAL (durable at checkpoints, safe against corruption),
 * busy_timeout and foreign keys.
 *
 * @example const db = openConnection('/tmp/kindred.db');
 */
export function openConnection(path: string, busyTimeoutMs: number = BUSY_TIMEOUT_MS): SqliteDatabase {
  const db = new Database(path, { timeout: busyTimeoutMs });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

function sqliteCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Runs a database call, translating SQLite failures into EngineErrors (the message never carries row data).
 *
 * @example const n = guard(() => db.prepare('SELECT 1').pluck().get());
 */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const code = sqliteCode(e);
    if (code === undefined) throw e;
    if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) {
      throw new EngineError('CONFLICT', 'the database is locked by another writer (a bulk import?); retry later', { sqlite: code });
    }
    throw new EngineError('INTERNAL', `SQLite error ${code}`, { sqlite: code, cause: (e as Error).message });
  }
}
