import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { pendingMigrations, type Migration } from '../sql-migrations.js';
import type { PgRunner, Queryable } from './pool.js';

export type { Migration } from '../sql-migrations.js';

// PostgreSQL's own list (it does not mirror SQLite's steps). Times are epoch ms (bigint) so they round-trip exactly as
// on SQLite; JSON fields are text (jsonb would reorder keys). Ids use COLLATE "C": byte order, as SQLite sorts them,
// whatever the database's collation, so listings, keyset paging and scans order alike on both stores.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'records',
    sql: `
      CREATE TABLE items (
        id text COLLATE "C" PRIMARY KEY, title text, text text, categories text, tags text, attributes text,
        created_at bigint, expires_at bigint, hidden boolean
      );
      CREATE TABLE users (id text COLLATE "C" PRIMARY KEY, attributes text, consent text);
      -- The primary key on id is what makes addEvents idempotent (ON CONFLICT (id) DO NOTHING).
      CREATE TABLE events (
        id text COLLATE "C" PRIMARY KEY, user_id text COLLATE "C" NOT NULL, item_id text COLLATE "C" NOT NULL,
        type text NOT NULL, value double precision, ts bigint NOT NULL, text text, sentiment double precision
      );
      CREATE INDEX events_by_user_time ON events (user_id, ts, id);
      CREATE INDEX events_by_time ON events (ts, id);
      CREATE INDEX events_by_item ON events (item_id);
      CREATE TABLE artifacts (
        name text COLLATE "C" NOT NULL, version integer NOT NULL, created_at bigint NOT NULL, meta text NOT NULL,
        blob bytea NOT NULL, checksum text, PRIMARY KEY (name, version)
      );
      CREATE TABLE embeddings (
        provider text COLLATE "C" NOT NULL, item_id text COLLATE "C" NOT NULL, text_hash text NOT NULL,
        dims integer NOT NULL, vector bytea NOT NULL, PRIMARY KEY (provider, item_id)
      );
      CREATE INDEX embeddings_by_item ON embeddings (item_id);
      CREATE TABLE scenarios (name text COLLATE "C" PRIMARY KEY, body text NOT NULL, updated_at bigint NOT NULL);
      CREATE TABLE profiles (user_id text COLLATE "C" PRIMARY KEY, state text NOT NULL, updated_at bigint NOT NULL);
      CREATE TABLE care_preferences (user_id text COLLATE "C" PRIMARY KEY, body text NOT NULL, updated_at bigint NOT NULL);
      CREATE TABLE leases (name text COLLATE "C" PRIMARY KEY, holder text NOT NULL, expires_at bigint NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'cache-lists',
    // The store:// cache; UNLOGGED: derived lists need no WAL (a server crash empties the table, which is allowed).
    sql: `
      CREATE UNLOGGED TABLE cache_lists (
        list text COLLATE "C" NOT NULL, subject text COLLATE "C" NOT NULL, digest text COLLATE "C" NOT NULL,
        items text NOT NULL, created_at text NOT NULL, expires_at bigint, PRIMARY KEY (list, subject, digest)
      );
      CREATE INDEX cache_lists_by_subject ON cache_lists (subject);
      CREATE INDEX cache_lists_by_digest ON cache_lists (digest);
    `,
  },
];

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL
)`;

/** Whether the schema holds Kindred's tables (its schema_migrations table), without creating anything. */
export async function isKindredSchema(db: Queryable, schema: string): Promise<boolean> {
  const [row] = await db.rows<{ found: string | null }>('SELECT to_regclass($1) AS found', [`${schema}.schema_migrations`]);
  return row?.found !== null && row?.found !== undefined;
}

/** Versions already applied in this schema, ascending. */
export async function appliedVersions(db: Queryable, schema: string): Promise<number[]> {
  if (!(await isKindredSchema(db, schema))) return [];
  return (await db.rows<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
}

/**
 * Applies the migrations this schema lacks, in order, each in its own transaction under a transaction-level advisory
 * lock keyed on the schema: several servers starting at once apply each step once (the others wait, then see it
 * applied). Creates the schema first when missing. Idempotent; returns the versions applied now. Refuses a schema
 * migrated by a newer Kindred.
 *
 * @example await migrate(runner, 'public', MIGRATIONS, systemClock, logger) // [1, 2] on a new schema, [] afterwards
 */
export async function migrate(db: PgRunner, schema: string, migrations: readonly Migration[], clock: Clock, logger: Logger): Promise<number[]> {
  const pending = pendingMigrations(migrations, await appliedVersions(db, schema));
  const applied: number[] = [];
  for (const m of pending) {
    const stepped = await db.transaction(async (tx) => {
      await tx.run("SELECT pg_advisory_xact_lock(hashtextextended('kindred-migrate:' || $1, 0))", [schema]);
      // Only when missing: CREATE SCHEMA needs a privilege on the database that a store's user may lack. The name was
      // checked by the URL parser (lower-case letters, digits, _), so it needs no quoting.
      const [ns] = await tx.rows<{ oid: string | null }>('SELECT to_regnamespace($1)::text AS oid', [schema]);
      if (ns?.oid === null) await tx.run(`CREATE SCHEMA ${schema}`);
      await tx.run(CREATE_MIGRATIONS_TABLE);
      // Re-checked under the lock: another server may have applied it since we looked.
      if ((await tx.rows('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version])).length > 0) return false;
      await tx.run(m.sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, clock.now()]);
      return true;
    });
    if (stepped) {
      applied.push(m.version);
      logger.info('applied store migration', { version: m.version, name: m.name, schema });
    }
  }
  return applied;
}
