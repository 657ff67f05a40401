import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { pendingMigrations, type Migration } from '../sql-migrations.js';
import type { SqliteDatabase } from './connection.js';

export type { Migration } from '../sql-migrations.js';

// STRICT tables make SQLite enforce column types. Times are epoch ms (INTEGER) so they sort and compare as numbers;
// attributes/categories/tags/consent/meta are JSON text.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'records',
    sql: `
      CREATE TABLE items (
        id TEXT PRIMARY KEY, title TEXT, text TEXT, categories TEXT, tags TEXT, attributes TEXT,
        created_at INTEGER, expires_at INTEGER, hidden INTEGER
      ) STRICT;
      CREATE TABLE users (id TEXT PRIMARY KEY, attributes TEXT, consent TEXT) STRICT;
      -- Rows append in rowid (seq) order; the unique index on id is what makes addEvents idempotent.
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, item_id TEXT NOT NULL,
        type TEXT NOT NULL, value REAL, ts INTEGER NOT NULL, text TEXT
      ) STRICT;
      CREATE INDEX events_by_user_time ON events (user_id, ts, id);
      CREATE INDEX events_by_time ON events (ts, id);
      CREATE INDEX events_by_item ON events (item_id);
      CREATE TABLE artifacts (
        name TEXT NOT NULL, version INTEGER NOT NULL, created_at INTEGER NOT NULL, meta TEXT NOT NULL,
        blob BLOB NOT NULL, PRIMARY KEY (name, version)
      ) STRICT;
      CREATE TABLE embeddings (
        provider TEXT NOT NULL, item_id TEXT NOT NULL, text_hash TEXT NOT NULL, dims INTEGER NOT NULL,
        vector BLOB NOT NULL, PRIMARY KEY (provider, item_id)
      ) STRICT;
      CREATE INDEX embeddings_by_item ON embeddings (item_id);
    `,
  },
  {
    version: 2,
    name: 'cache-lists',
    sql: `
      CREATE TABLE cache_lists (
        list TEXT NOT NULL, subject TEXT NOT NULL, digest TEXT NOT NULL, items TEXT NOT NULL,
        created_at TEXT NOT NULL, expires_at INTEGER, PRIMARY KEY (list, subject, digest)
      ) STRICT;
      CREATE INDEX cache_lists_by_subject ON cache_lists (subject);
      CREATE INDEX cache_lists_by_digest ON cache_lists (digest);
    `,
  },
  {
    version: 3,
    name: 'scenarios',
    // body: the scenario without its name, as JSON text; updated_at: epoch ms of the last write.
    sql: `
      CREATE TABLE scenarios (name TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT;
    `,
  },
  {
    version: 4,
    name: 'profiles',
    // state: the user's stored interest profile as JSON text (src/interests/profile-state.ts); updated_at: epoch ms.
    sql: `
      CREATE TABLE profiles (user_id TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT;
    `,
  },
  {
    version: 5,
    name: 'care-preferences',
    // body: the user's stored care preferences (setting -> number or boolean) as JSON text; updated_at: epoch ms.
    sql: `
      CREATE TABLE care_preferences (user_id TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT;
    `,
  },
  {
    version: 6,
    name: 'event-sentiment',
    // The score of the event's text in -1..1 (src/care/sentiment.ts), set by the engine when it stores the event.
    // NULL means "read the text": no text, text without signal (re-detected by a cheap script check, never by wink),
    // or an event stored before this migration. Adding a nullable column rewrites no rows.
    sql: `
      ALTER TABLE events ADD COLUMN sentiment REAL;
    `,
  },
  {
    version: 7,
    name: 'leases-and-artifact-checksums',
    // checksum: sha256 hex of the blob, written with it and checked on every load (NULL for versions stored before).
    // leases: named locks with an expiry in epoch ms (the trainer lock), shared by every process on the file.
    sql: `
      ALTER TABLE artifacts ADD COLUMN checksum TEXT;
      CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT;
    `,
  },
];

/** Versions already applied to this database, ascending. */
export function appliedVersions(db: SqliteDatabase): number[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!exists) return [];
  return db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];
}

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL
) STRICT`;

/**
 * Applies the migrations this database lacks, in order, each in its own IMMEDIATE transaction (so two processes
 * migrating at once cannot both apply a step). Idempotent; returns the versions applied now. When nothing is pending
 * it only reads, so opening a store while another process holds the write lock (an import) does not wait.
 * Refuses a database migrated by a newer Kindred.
 *
 * @example migrate(db, MIGRATIONS, systemClock, logger) // [1, 2] on a new file, [] afterwards
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[], clock: Clock, logger: Logger): number[] {
  const pending = pendingMigrations(migrations, appliedVersions(db));
  const applied: number[] = [];
  for (const m of pending) {
    const step = db.transaction(() => {
      db.exec(CREATE_MIGRATIONS_TABLE);
      // Re-checked under the write lock: another process may have applied it since we looked.
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version)) return false;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, clock.now());
      return true;
    });
    if (step.immediate()) {
      applied.push(m.version);
      logger.info('applied store migration', { version: m.version, name: m.name });
    }
  }
  return applied;
}
