import { describe, expect, it } from 'vitest';
import type { CachedList } from '../../storage/cache.js';
import { openCache, openStore } from '../../storage/registry.js';
import type { Store } from '../../storage/store.js';
import { cacheConformanceSuite } from '../../testkit/cache-conformance.js';
import { postgresAvailable, withTestSchema } from '../../testkit/postgres.js';
import { storesClosedAfterEach } from '../../testkit/postgres-test-stores.js';

const available = await postgresAvailable();
// The cache borrows the store's pool, so the store is closed separately.
const closeAfterTest = storesClosedAfterEach<Store>();

async function open(url: string): Promise<Store> {
  return closeAfterTest(await openStore(url));
}

const list: CachedList = { items: [{ itemId: 'i1', score: 0.5, via: 'cf' }], createdAt: '2024-01-01T00:00:00.000Z' };

describe.skipIf(!available)('store:// cache on postgres', () => {
  cacheConformanceSuite('store:// (postgres)', async (clock) => openCache('store://', await open(withTestSchema()), clock));

  it('is shared by every store on the schema, and erased with the user', async () => {
    const url = withTestSchema();
    const [a, b] = [await open(url), await open(url)];
    const key = { list: 'recommend', subject: 'u1', digest: 'd' };
    await (await openCache('store://', a)).put(key, list);
    expect(await (await openCache('store://', b)).get(key)).toStrictEqual(list);
    await b.eraseUser('u1');
    expect(await (await openCache('store://', a)).get(key)).toBeUndefined();
  });
});
