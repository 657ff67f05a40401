import { describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { isEngineError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { postgresAvailable, withAdminClient, withTestSchema } from '../../testkit/postgres.js';
import { storesClosedAfterEach } from '../../testkit/postgres-test-stores.js';
import { openPostgresStore } from './index.js';
import { appliedVersions, migrate, MIGRATIONS } from './migrations.js';
import type { PostgresStore } from './store.js';

const available = await postgresAvailable();
const closeAfterTest = storesClosedAfterEach<PostgresStore>();

async function open(url: string): Promise<PostgresStore> {
  return closeAfterTest(await openPostgresStore(url));
}

describe.skipIf(!available)('postgres migrations', () => {
  it('create the schema and apply every step to a fresh one, recorded in schema_migrations; then nothing', async () => {
    const store = await open(withTestSchema());
    expect(await migrate(store.runner, store.schema, MIGRATIONS, systemClock, silentLogger)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await appliedVersions(store.runner, store.schema)).toEqual([1, 2]);
    expect(await migrate(store.runner, store.schema, MIGRATIONS, systemClock, silentLogger)).toEqual([]);
    const tables = await withAdminClient(async (c) => (await c.query<{ t: string }>(
      'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [store.schema])).rows.map((r) => r.t));
    expect(tables).toEqual(['artifacts', 'cache_lists', 'care_preferences', 'embeddings', 'events', 'items', 'leases', 'profiles', 'scenarios', 'schema_migrations', 'users']);
  });

  it('apply each step once when several servers migrate one schema at the same time', async () => {
    const url = withTestSchema({ pool: '1' });
    const stores = await Promise.all([1, 2, 3, 4].map(() => open(url)));
    const applied = await Promise.all(stores.map((s) => migrate(s.runner, s.schema, MIGRATIONS, systemClock, silentLogger)));
    expect(applied.flat().sort()).toEqual([1, 2]);
    expect(await appliedVersions(stores[0].runner, stores[0].schema)).toEqual([1, 2]);
  });

  it('refuse a schema migrated by a newer Kindred (CONFLICT)', async () => {
    const store = await open(withTestSchema());
    await store.migrate();
    await store.runner.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)");
    const err: unknown = await store.migrate().catch((e: unknown) => e);
    expect(isEngineError(err) && err.code).toBe('CONFLICT');
  });

  it('keep two schemas of one database apart', async () => {
    const a = await open(withTestSchema());
    const b = await open(withTestSchema());
    await a.migrate();
    await b.migrate();
    await a.upsertItems([{ id: 'only-in-a' }]);
    expect((await a.counts()).items).toBe(1);
    expect((await b.counts()).items).toBe(0);
  });
});
