/**
 * The SQLite adapter: `sqlite://` stores and the `store://` cache. A twin adapter (postgres/) has the same files:
 * url.ts, connection.ts, migrations.ts, rows.ts, writes.ts, bulk.ts, store.ts, cache.ts and this index. SQLite's own
 * helpers: busy.ts (lock waits on timers), checkpointer.ts (WAL checkpoints in a worker thread), file-identity.ts
 * (the database file is still the one opened) and staging.ts (an import's TEMP tables and its publish).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemClock, type Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { BUSY_TIMEOUT_MS, type Durability } from './connection.js';
import { SqliteStore } from './store.js';
import { parseSqliteUrl } from './url.js';

export { SqliteStore } from './store.js';
export { SqliteCache } from './cache.js';
export { SqliteBulkWriter } from './bulk.js';
export { MIGRATIONS, migrate, appliedVersions, type Migration } from './migrations.js';
export { parseSqliteUrl, type SqliteLocation } from './url.js';
export type { Durability } from './connection.js';

export interface OpenSqliteStoreOptions {
  logger?: Logger;
  clock?: Clock;
  /** How long a write waits (asynchronously) for another writer's lock before failing with CONFLICT (default 10000). */
  busyTimeoutMs?: number;
  /** false: the database file must already exist (EngineError NOT_FOUND otherwise); nothing is created. Default true. */
  create?: boolean;
  /** `full` (default): a commit is on disk before it returns; `normal`: power loss may drop the last commits. */
  durability?: Durability;
}

/**
 * Opens (without migrating) the store a sqlite:// URL names, creating the file's folder when missing (or, with
 * `create: false`, failing with NOT_FOUND when the file does not exist).
 * `sqlite://:memory:` gets a private file in the OS temp folder, deleted on close: bulk imports need a second
 * connection to the same database, which a true in-memory database cannot offer.
 *
 * @example const store = openSqliteStore('sqlite://./data/kindred.db'); await store.migrate();
 */
export function openSqliteStore(url: string, opts: OpenSqliteStoreOptions = {}): SqliteStore {
  const location = parseSqliteUrl(url);
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const busyTimeoutMs = opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  const durability = opts.durability ?? 'full';
  if (location.kind === 'memory') {
    const dir = mkdtempSync(join(tmpdir(), 'kindred-sqlite-'));
    try {
      return new SqliteStore(join(dir, 'memory.db'), { clock, logger, busyTimeoutMs, durability, onClose: () => rmSync(dir, { recursive: true, force: true }) });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }
  if (opts.create === false && !existsSync(location.path)) {
    // The operator's own configured path, not request data: naming it is what makes a typo visible.
    throw new EngineError('NOT_FOUND', `no Kindred store at ${location.path}: check --db / KINDRED_DB / store.url, or create one with \`kindred init\` or \`kindred import\``, {
      path: '/store/url',
    });
  }
  mkdirSync(dirname(location.path), { recursive: true });
  return new SqliteStore(location.path, { clock, logger, busyTimeoutMs, durability });
}
