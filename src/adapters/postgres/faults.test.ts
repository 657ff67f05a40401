import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../core/errors.js';
import type { Event } from '../../core/types.js';
import { openStore } from '../../storage/registry.js';
import type { Store } from '../../storage/store.js';
import { postgresAvailable, postgresTestUrl, testSchemaName, withAdminClient, withTestSchema } from '../../testkit/postgres.js';
import { storesClosedAfterEach } from '../../testkit/postgres-test-stores.js';
import { allEvents } from '../../testkit/store-conformance/fixtures.js';
import { openPostgresStore } from './index.js';
import { applicationName } from './pool.js';

const available = await postgresAvailable();
const closeAfterTest = storesClosedAfterEach<Store>();

async function open(url: string, opts: { create?: boolean } = {}): Promise<Store> {
  return closeAfterTest(await openStore(url, opts));
}

async function failure(p: Promise<unknown>): Promise<{ code: string; text: string }> {
  const e: unknown = await p.then(() => undefined, (err: unknown) => err);
  if (!isEngineError(e)) throw new Error(`expected an EngineError, got ${String(e)}`);
  return { code: e.code, text: JSON.stringify({ message: e.message, details: e.details }) };
}

/** Terminates every backend of the store on `schema` (its pool, listener and imports), as a server restart would. */
async function terminateBackends(schema: string): Promise<number> {
  return withAdminClient(async (c) => (await c.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [applicationName(schema)])).rowCount ?? 0);
}

const batch = (n: number): Event[] => Array.from({ length: 20 }, (_, k) => ({
  id: `b${n}-${k}`, userId: `u${k}`, itemId: `i${n}`, type: 'view', timestamp: new Date(Date.UTC(2024, 0, 1) + n * 1000 + k).toISOString(),
}));

describe.skipIf(!available)('postgres faults', () => {
  it('connections terminated under load: calls fail with STORE_UNAVAILABLE or succeed, the pool recovers by itself, no acknowledged event is lost', async () => {
    const url = withTestSchema({ pool: '4' });
    const schema = new URL(url).searchParams.get('schema') ?? '';
    const store = await open(url);
    const acknowledged: string[] = [];
    const failures = new Map<string, number>();
    let next = 0;
    const writer = async (rounds: number) => {
      for (let r = 0; r < rounds; r++) {
        const events = batch(next++);
        try {
          await store.addEvents(events);
          acknowledged.push(...events.map((e) => e.id as string));
        } catch (e) {
          const code = isEngineError(e) ? e.code : String(e);
          failures.set(code, (failures.get(code) ?? 0) + 1);
        }
      }
    };
    // Transactions too (several statements on one checked-out connection): saved versions must all be loadable.
    const saved: number[] = [];
    const saver = async (rounds: number) => {
      for (let r = 0; r < rounds; r++) {
        try {
          saved.push(await store.saveArtifact('bundle', new Uint8Array([r % 256])));
        } catch (e) {
          const code = isEngineError(e) ? e.code : String(e);
          failures.set(code, (failures.get(code) ?? 0) + 1);
        }
      }
    };
    const load = Promise.all([writer(60), writer(60), writer(60), saver(60)]);
    let terminated = 0;
    for (let k = 0; k < 3; k++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      terminated += await terminateBackends(schema);
    }
    await load;
    expect(terminated).toBeGreaterThan(0);
    expect([...failures.keys()].filter((code) => code !== 'STORE_UNAVAILABLE')).toEqual([]);
    // Later calls work without reopening the store.
    await store.health();
    expect(await store.addEvents(batch(10_000))).toEqual({ accepted: 20, duplicates: 0 });
    const stored = new Set((await allEvents(store)).map((e) => e.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    const versions = new Set((await store.listArtifacts('bundle')).map((a) => a.version));
    expect(saved.filter((v) => !versions.has(v))).toEqual([]);
  });

  it('an import whose connection is terminated fails with STORE_UNAVAILABLE and leaves nothing behind', async () => {
    const url = withTestSchema();
    const schema = new URL(url).searchParams.get('schema') ?? '';
    const store = await open(url);
    const w = await store.bulk();
    await w.addEvents(batch(1));
    await terminateBackends(schema);
    expect((await failure(w.commit())).code).toBe('STORE_UNAVAILABLE');
    await w.rollback();
    expect((await store.counts()).events).toBe(0);
  });

  it('create: false on a schema without a Kindred store is NOT_FOUND naming the schema, and creates nothing', async () => {
    const schema = testSchemaName();
    const withSecret = new URL(postgresTestUrl());
    withSecret.password = 's3cret'; // trust auth ignores it; the error must not show it
    withSecret.searchParams.set('schema', schema);
    const err = await failure(openStore(withSecret.toString(), { create: false }));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.text).toContain(schema);
    expect(err.text).not.toContain('s3cret');
    const exists = await withAdminClient(async (c) => (await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount);
    expect(exists).toBe(0);
    const url = withTestSchema();
    await (await open(url)).close();
    await open(url, { create: false }); // now it exists
  });

  it('a server that cannot be reached is STORE_UNAVAILABLE, without the credentials in the error', async () => {
    const url = 'postgres://postgres:s3cret@127.0.0.1:1/test?schema=kindred_t_unreachable';
    const err = await failure(openStore(url));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.text).not.toContain('s3cret');
    const unopened = await openPostgresStore(url); // opening without migrating sends nothing yet
    expect((await failure(unopened.health())).code).toBe('STORE_UNAVAILABLE');
    expect((await failure(unopened.addEvents(batch(1)))).code).toBe('STORE_UNAVAILABLE');
    await unopened.close();
  });
});
