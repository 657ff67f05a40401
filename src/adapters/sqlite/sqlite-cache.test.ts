import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import type { CachedList } from '../../storage/cache.js';
import { openCache, openStore } from '../../storage/registry.js';
import type { Store } from '../../storage/store.js';
import { cacheConformanceSuite } from '../../testkit/cache-conformance.js';

const opened: Store[] = [];
afterEach(async () => {
  // The cache borrows the store's connection, so the store is closed separately.
  for (const s of opened.splice(0)) await s.close();
});

cacheConformanceSuite('store:// (sqlite)', async (clock) => {
  const store = await openStore('sqlite://:memory:');
  opened.push(store);
  return openCache('store://', store, clock);
});

const dir = mkdtempSync(join(tmpdir(), 'kindred-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const list: CachedList = { items: [{ itemId: 'i1', score: 0.5 }], createdAt: '2024-01-01T00:00:00.000Z' };

describe('store:// cache specifics', () => {
  it('is shared through the database file: another process (store) sees the lists, and they outlive a restart', async () => {
    const url = `sqlite://${join(dir, 'shared.db')}`;
    const a = await openStore(url);
    const b = await openStore(url);
    opened.push(a, b);
    const clock = fixedClock(Date.UTC(2024, 0, 1));
    await (await openCache('store://', a, clock)).put({ list: 'popular', subject: '', digest: 'd' }, list, 3600);
    expect(await (await openCache('store://', b, clock)).get({ list: 'popular', subject: '', digest: 'd' })).toStrictEqual(list);
    await a.close();
    const c = await openStore(url);
    opened.push(c);
    expect(await (await openCache('store://', c, clock)).get({ list: 'popular', subject: '', digest: 'd' })).toStrictEqual(list);
  });

  it('eraseUser also drops the lists cached for that user', async () => {
    const store = await openStore('sqlite://:memory:');
    opened.push(store);
    const cache = await openCache('store://', store);
    await cache.put({ list: 'recommend', subject: 'u1', digest: 'd' }, list);
    await cache.put({ list: 'recommend', subject: 'u2', digest: 'd' }, list);
    expect((await store.eraseUser('u1')).cachedLists).toBe(1);
    expect(await cache.get({ list: 'recommend', subject: 'u1', digest: 'd' })).toBeUndefined();
    expect(await cache.get({ list: 'recommend', subject: 'u2', digest: 'd' })).toBeDefined();
  });

  it('closing the cache leaves the store open; closing the store makes the cache fail loudly', async () => {
    const store = await openStore('sqlite://:memory:');
    opened.push(store);
    const cache = await openCache('store://', store);
    await cache.close();
    expect((await store.counts()).events).toBe(0);
    const again = await openCache('store://', store);
    await store.close();
    await expect(again.get({ list: 'l', subject: '', digest: 'd' })).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
