/**
 * The PostgreSQL adapter: `postgres://` (and `postgresql://`) stores and the `store://` cache, through node-postgres
 * (`pg`, the well-kept PostgreSQL client of Node) and pg-copy-streams for COPY imports. The same files as sqlite/:
 * url.ts, migrations.ts, rows.ts, writes.ts, bulk.ts, artifacts.ts, store.ts, cache.ts and this index; PostgreSQL's
 * own helpers: pool.ts (the pool and how calls run and retry), errors.ts (failures to EngineErrors) and notices.ts
 * (LISTEN/NOTIFY scoped to the schema).
 */
import { systemClock, type Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { isKindredSchema } from './migrations.js';
import { PostgresStore } from './store.js';
import { parsePostgresUrl } from './url.js';

export { PostgresStore } from './store.js';
export { PostgresCache } from './cache.js';
export { PostgresBulkWriter } from './bulk.js';
export { MIGRATIONS, migrate, appliedVersions, type Migration } from './migrations.js';
export { parsePostgresUrl, type PostgresLocation } from './url.js';
export { scopedChannel } from './notices.js';
export { applicationName } from './pool.js';

export interface OpenPostgresStoreOptions {
  logger?: Logger;
  clock?: Clock;
  /** false: the schema must already hold a Kindred store (EngineError NOT_FOUND otherwise); nothing is created. Default true. */
  create?: boolean;
  /** `full` (default): a commit returns once it is durable; `normal`: synchronous_commit=off, a server crash may drop the last commits. */
  durability?: 'full' | 'normal';
  /** lock_timeout of the store's connections: a write waiting longer for a row lock fails with CONFLICT (default 10000). */
  lockTimeoutMs?: number;
  /** How long a call waits for a connection before failing with STORE_UNAVAILABLE (default 5000). */
  connectTimeoutMs?: number;
}

/**
 * Opens (without migrating) the store a postgres:// URL names. With `create: false` the schema must already hold a
 * Kindred store (NOT_FOUND otherwise, naming the schema, never the URL); an unreachable server is STORE_UNAVAILABLE.
 *
 * @example const store = await openPostgresStore('postgres://kindred@db:5432/shop?schema=eu'); await store.migrate();
 */
export async function openPostgresStore(url: string, opts: OpenPostgresStoreOptions = {}): Promise<PostgresStore> {
  const location = parsePostgresUrl(url);
  const store = new PostgresStore(location, {
    clock: opts.clock ?? systemClock,
    logger: opts.logger ?? silentLogger,
    durability: opts.durability ?? 'full',
    lockTimeoutMs: opts.lockTimeoutMs ?? 10_000,
    connectTimeoutMs: opts.connectTimeoutMs ?? 5_000,
  });
  if (opts.create === false) {
    try {
      if (!(await isKindredSchema(store.runner, location.schema))) {
        // The operator's own configured schema, not request data: naming it is what makes a typo visible.
        throw new EngineError('NOT_FOUND', `no Kindred store in PostgreSQL schema "${location.schema}": check --db / KINDRED_DB / store.url, or create one with \`kindred init\` or \`kindred import\``, {
          path: '/store/url', schema: location.schema,
        });
      }
    } catch (e) {
      await store.close();
      throw e;
    }
  }
  return store;
}
