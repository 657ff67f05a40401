import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { cacheConformanceSuite } from '../../testkit/cache-conformance.js';
import type { CachedList } from '../cache.js';
import { MemoryCache } from './memory-cache.js';

cacheConformanceSuite('memory', async (clock) => new MemoryCache({ clock }));

const list = (itemId: string): CachedList => ({ items: [{ itemId, score: 1 }], createdAt: '2024-01-01T00:00:00.000Z' });
const k = (subject: string) => ({ list: 'recommend', subject, digest: 'd' });

describe('MemoryCache (LRU and defaults)', () => {
  it('evicts the least recently used list beyond maxEntries; a get counts as a use', async () => {
    const cache = new MemoryCache({ maxEntries: 3 });
    for (const s of ['a', 'b', 'c']) await cache.put(k(s), list(s));
    expect(await cache.get(k('a'))).toBeDefined(); // order of use now b, c, a
    await cache.put(k('d'), list('d'));
    expect(cache.size).toBe(3);
    expect(await cache.get(k('b'))).toBeUndefined();
    for (const s of ['a', 'c', 'd']) expect(await cache.get(k(s))).toBeDefined();
  });

  it('re-putting an existing key does not evict anything', async () => {
    const cache = new MemoryCache({ maxEntries: 2 });
    await cache.put(k('a'), list('a'));
    await cache.put(k('b'), list('b'));
    await cache.put(k('a'), list('a2'));
    expect((await cache.get(k('b')))?.items[0].itemId).toBe('b');
    expect((await cache.get(k('a')))?.items[0].itemId).toBe('a2');
  });

  it('applies defaultTtlSeconds when put gives no TTL, and drops expired lists on read', async () => {
    const clock = fixedClock(0);
    const cache = new MemoryCache({ clock, defaultTtlSeconds: 5 });
    await cache.put(k('a'), list('a'));
    await cache.put(k('b'), list('b'), 60);
    clock.advance(5_000);
    expect(await cache.get(k('a'))).toBeUndefined();
    expect(cache.size).toBe(1);
    expect(await cache.get(k('b'))).toBeDefined();
  });

  it('invalidates by subject through its index, after evictions, expiries and re-puts, as a scan would', async () => {
    const clock = fixedClock(0);
    const cache = new MemoryCache({ clock, maxEntries: 4 });
    await cache.put({ list: 'recommend', subject: 'u1', digest: 'old' }, list('a'), 1);
    await cache.put({ list: 'recommend', subject: 'u1', digest: 'new' }, list('b'));
    await cache.put({ list: 'popular', subject: 'u1', digest: 'd' }, list('c'));
    await cache.put(k('u2'), list('d'));
    await cache.put(k('u3'), list('e')); // evicts u1's 'old' list
    await cache.put(k('u2'), list('d2'));
    clock.advance(2_000);
    expect(await cache.invalidate({ list: 'recommend', subject: 'u1' })).toBe(1);
    expect(await cache.get({ list: 'popular', subject: 'u1', digest: 'd' })).toBeDefined();
    expect(await cache.invalidate({ subject: 'u2' })).toBe(1);
    expect(await cache.invalidate({ subject: 'nobody' })).toBe(0);
    expect(await cache.invalidate({ list: 'recommend' })).toBe(1); // u3's, found without a subject
    expect(cache.size).toBe(1);
    await cache.put({ list: 'recommend', subject: 'u1', digest: 'again' }, list('f'));
    expect(await cache.invalidate({ subject: 'u1' })).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('rejects a non-positive maxEntries', () => {
    expect(() => new MemoryCache({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
