import { EngineError } from '../../core/errors.js';

/** Where a postgres:// URL points: the connection string for node-postgres, the schema and the pool size. */
export interface PostgresLocation {
  /** The URL without Kindred's own options (schema, pool), as node-postgres reads it. May carry credentials: never log it. */
  connectionString: string;
  /** The schema holding Kindred's tables (default `public`). */
  schema: string;
  /** Most connections the store's pool opens (default 10). */
  poolSize: number;
}

const SCHEMES = ['postgres://', 'postgresql://'];
/** Lower-case identifiers only: they need no quoting in SQL, in search_path or in startup options. */
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
const MAX_POOL = 1000;
/** Options node-postgres itself reads from the URL and that Kindred passes through. */
const DRIVER_OPTIONS = new Set(['sslmode', 'application_name', 'connect_timeout']);

function invalid(message: string): EngineError {
  return new EngineError('INVALID_CONFIG', message, { path: '/store/url' });
}

/**
 * Parses `postgres://user@host:port/db?schema=name&pool=N` (also `postgresql://`). Errors name the faulty option,
 * never the URL (it may hold a password). Without a user the connection uses PGUSER, else `postgres`.
 *
 * @example parsePostgresUrl('postgres://kindred@db:5432/shop?schema=eu&pool=20') // { schema: 'eu', poolSize: 20, ... }
 */
export function parsePostgresUrl(url: string, env: NodeJS.ProcessEnv = process.env): PostgresLocation {
  if (typeof url !== 'string' || !SCHEMES.some((s) => url.toLowerCase().startsWith(s))) {
    throw invalid('a PostgreSQL store URL starts with postgres:// or postgresql://');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('the PostgreSQL store URL is not a valid URL (user@host:port/database)');
  }
  if (parsed.hostname === '') throw invalid('the PostgreSQL store URL needs a host (postgres://host:5432/database)');
  if (parsed.pathname.length <= 1) throw invalid('the PostgreSQL store URL needs a database name (postgres://host:5432/database)');
  if (parsed.hash !== '') throw invalid('the PostgreSQL store URL takes no #fragment');
  let schema = 'public';
  let poolSize = 10;
  for (const [key, value] of parsed.searchParams) {
    if (key === 'schema') {
      if (!SCHEMA_PATTERN.test(value)) throw invalid('?schema= must be 1-63 characters of a-z, 0-9 and _, not starting with a digit');
      schema = value;
    } else if (key === 'pool') {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > MAX_POOL) throw invalid(`?pool= must be a whole number from 1 to ${MAX_POOL}`);
      poolSize = n;
    } else if (!DRIVER_OPTIONS.has(key)) {
      // Naming the key is safe (it is ours to know); its value is not echoed.
      throw invalid(`unknown PostgreSQL store URL option "${key.slice(0, 40)}"; known: schema, pool, ${[...DRIVER_OPTIONS].join(', ')}`);
    }
  }
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('pool');
  // No user in the URL: PGUSER if set, else `postgres` (the server's own superuser name), not libpq's default of the
  // OS user, which rarely exists as a database role (a service often runs as root).
  if (parsed.username === '') parsed.username = env.PGUSER || 'postgres';
  return { connectionString: parsed.toString(), schema, poolSize };
}
