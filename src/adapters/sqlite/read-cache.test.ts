import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Event } from '../../core/types.js';
import { openStore } from '../../storage/registry.js';
import type { Store } from '../../storage/store.js';
import { SqliteReadCache } from './read-cache.js';
import type { ItemRow } from './rows.js';

const dir = mkdtempSync(join(tmpdir(), 'kindred-read-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const event = (userId: string, itemId: string, day: number): Event => ({ id: `e${n++}`, userId, itemId, type: 'view', timestamp: new Date(Date.UTC(2024, 0, day)).toISOString() });
const ids = async (store: Store, userId: string) => (await store.history(userId, { limit: 50 })).map((e) => e.itemId);

/** Two stores on one file: two connections, as two processes (or an import's bulk connection) would have. */
async function twoStores(name: string): Promise<[Store, Store]> {
  const url = `sqlite://${join(dir, `${name}.db`)}`;
  const a = await openStore(url);
  return [a, await openStore(url)];
}

describe('SQLite read cache (histories, items, users kept between reads)', () => {
  it('serves what this store wrote since the last read: events, items, users, and an erased user', async () => {
    const [a, b] = await twoStores('own-writes');
    await a.upsertItems([{ id: 'i1', title: 'One' }, { id: 'i2', title: 'Two' }]);
    await a.addEvents([event('u', 'i1', 1)]);
    expect(await ids(a, 'u')).toEqual(['i1']);
    await a.addEvents([event('u', 'i2', 2)]);
    expect(await ids(a, 'u')).toEqual(['i2', 'i1']);
    expect((await a.getItems(['i1']))[0].title).toBe('One');
    await a.upsertItems([{ id: 'i1', title: 'Uno' }]);
    expect((await a.getItems(['i2', 'i1'])).map((it) => it.title)).toEqual(['Two', 'Uno']);
    expect(await a.getUser('u')).toBeUndefined();
    await a.upsertUsers([{ id: 'u', consent: { personalisation: false } }]);
    expect((await a.getUser('u'))?.consent).toEqual({ personalisation: false });
    await a.eraseUser('u');
    expect(await ids(a, 'u')).toEqual([]);
    expect(await a.getUser('u')).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });

  it('serves what another connection to the same file committed (PRAGMA data_version)', async () => {
    const [a, b] = await twoStores('other-writers');
    await a.upsertItems([{ id: 'i1', title: 'One' }]);
    await a.addEvents([event('u', 'i1', 1)]);
    expect(await ids(a, 'u')).toEqual(['i1']);
    expect((await a.getItems(['i1']))[0].title).toBe('One');
    await b.addEvents([event('u', 'i2', 2)]);
    await b.upsertItems([{ id: 'i1', title: 'Uno' }]);
    await b.upsertUsers([{ id: 'u', attributes: { plan: 'pro' } }]);
    expect(await ids(a, 'u')).toEqual(['i2', 'i1']);
    expect((await a.getItems(['i1']))[0].title).toBe('Uno');
    expect((await a.getUser('u'))?.attributes).toEqual({ plan: 'pro' });
    await Promise.all([a.close(), b.close()]);
  });

  it('does not keep a read that a write overtook before the reader resumed', async () => {
    const [a, b] = await twoStores('overtaken');
    await a.addEvents([event('u', 'i1', 1)]);
    const before = a.history('u', { limit: 50 }); // its rows are read now; the caller resumes after the write below
    await a.addEvents([event('u', 'i2', 2)]);
    expect((await before).map((e) => e.itemId)).toEqual(['i1']);
    expect(await ids(a, 'u')).toEqual(['i2', 'i1']);
    await Promise.all([a.close(), b.close()]);
  });

  it('answers a narrower window from a wider one, and a wider one only from a window that holds the whole history', async () => {
    const [a, b] = await twoStores('windows');
    await a.addEvents([1, 2, 3, 4, 5].map((day) => event('w', `i${day}`, day)));
    const window = async (limit?: number) => (await a.history('w', { limit })).map((e) => e.itemId);
    expect(await window(2)).toEqual(['i5', 'i4']);
    expect(await window(4)).toEqual(['i5', 'i4', 'i3', 'i2']);
    expect(await window(2)).toEqual(['i5', 'i4']);
    expect(await window(10)).toEqual(['i5', 'i4', 'i3', 'i2', 'i1']);
    expect(await window(3)).toEqual(['i5', 'i4', 'i3']);
    expect(await window()).toEqual(['i5', 'i4', 'i3', 'i2', 'i1']);
    expect((await a.history('w', { limit: 10, types: ['like'] })).length).toBe(0);
    await Promise.all([a.close(), b.close()]);
  });

  it('hands out copies: mutating a returned event changes nothing served later', async () => {
    const [a, b] = await twoStores('copies');
    await a.addEvents([event('u', 'i1', 1)]);
    const [first] = await a.history('u', { limit: 50 });
    first.itemId = 'changed';
    expect(await ids(a, 'u')).toEqual(['i1']);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('SQLite read cache bounds', () => {
  const row = (id: string): ItemRow => ({ id, title: null, text: null, categories: null, tags: null, attributes: null, created_at: null, expires_at: null, hidden: null });
  const keep = (cache: SqliteReadCache, ids: string[]) => cache.keepItems(ids.map(row), cache.epoch);
  const kept = (cache: SqliteReadCache, ids: string[]) => [...cache.itemsOf(ids).found.keys()];

  it('keeps at most limits.items items, evicting the least recently put first', () => {
    const cache = new SqliteReadCache(() => 1, { historyEvents: 100, items: 8, users: 8 });
    cache.checkOtherWriters();
    keep(cache, Array.from({ length: 12 }, (_, i) => `i${i}`));
    expect(kept(cache, Array.from({ length: 12 }, (_, i) => `i${i}`))).toEqual(['i4', 'i5', 'i6', 'i7', 'i8', 'i9', 'i10', 'i11']);
  });

  it('keeps an item read again: it survives at least three quarters of the limit in later puts', () => {
    const cache = new SqliteReadCache(() => 1, { historyEvents: 100, items: 8, users: 8 });
    cache.checkOtherWriters();
    keep(cache, ['a', 'b', 'c', 'd']);
    keep(cache, ['e', 'f', 'g', 'h']);
    expect(kept(cache, ['a'])).toEqual(['a']); // moved: 7 puts since it was put, more than a quarter of 8
    keep(cache, ['x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
    expect(kept(cache, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])).toEqual(['a', 'h']);
  });
});
