/**
 * PostgreSQL for tests: the server's URL, a fresh schema per test (random name, dropped after), and a skip-or-fail
 * rule like the datasets': outside CI a server that does not answer skips the tests with a printed reason; with
 * CI=true it fails them (CI must never silently skip). Other test runs share the server, so nothing here touches
 * anything but the schemas it created.
 *
 * @example
 * const pg = await postgresAvailable();
 * describe.skipIf(!pg)('...', () => { it('...', async () => { const url = await withTestSchema(); ... }) });
 * afterEach(dropTestSchemas);
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { errorMessage } from '../core/errors.js';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const created = new Set<string>();

/** The test server's URL: env KINDRED_TEST_POSTGRES_URL, default `postgres://postgres@127.0.0.1:5432/test`. */
export function postgresTestUrl(): string {
  return process.env.KINDRED_TEST_POSTGRES_URL ?? DEFAULT_URL;
}

/** A schema name no other test uses: `kindred_t_<16 hex>`. */
export function testSchemaName(): string {
  return `kindred_t_${randomBytes(8).toString('hex')}`;
}

/** The test URL pointed at `schema`, with the given extra URL options (default `pool=2`: tests open many stores). */
export function schemaUrl(schema: string, options: Record<string, string> = { pool: '2' }): string {
  const url = new URL(postgresTestUrl());
  url.searchParams.set('schema', schema);
  for (const [k, v] of Object.entries(options)) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * A store URL on a new, not yet created schema (the store creates it); the schema is dropped by `dropTestSchemas`.
 *
 * @example const store = await openStore(await withTestSchema());
 */
export function withTestSchema(options?: Record<string, string>): string {
  const schema = testSchemaName();
  created.add(schema);
  return schemaUrl(schema, options);
}

/** Runs `fn` with one short-lived admin connection to the test server. */
export async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresTestUrl(), connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined); // a failed connect also rejects connect()
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops one schema and everything in it (only ever a test schema). */
export async function dropSchema(schema: string): Promise<void> {
  if (!/^kindred_t_[0-9a-f]+$/.test(schema)) throw new Error('dropSchema drops test schemas (kindred_t_<hex>) only');
  await withAdminClient((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  created.delete(schema);
}

/** Drops every schema `withTestSchema` handed out (use in afterEach / afterAll). */
export async function dropTestSchemas(): Promise<void> {
  const schemas = [...created];
  if (schemas.length === 0) return;
  await withAdminClient((c) => c.query(`DROP SCHEMA IF EXISTS ${schemas.join(', ')} CASCADE`));
  for (const s of schemas) created.delete(s);
}

/**
 * Whether the test server answers (`SELECT 1`). When it does not: throws with CI=true, else prints why and returns
 * false so the caller can skip.
 *
 * @example const pg = await postgresAvailable(); describe.skipIf(!pg)('postgres store', ...)
 */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await withAdminClient((c) => c.query('SELECT 1'));
    return true;
  } catch (e) {
    const host = new URL(postgresTestUrl()).host; // never the whole URL: it may carry a password
    const msg = `PostgreSQL at ${host} does not answer (${errorMessage(e)}; set KINDRED_TEST_POSTGRES_URL)`;
    if (process.env.CI === 'true') throw new Error(`${msg}; CI requires it`);
    console.warn(`skipping: ${msg}`);
    return false;
  }
}
