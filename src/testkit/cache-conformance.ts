/**
 * The behaviour every Cache adapter must show. `open` gets a controllable clock (for TTLs) and must return a new,
 * empty cache using it.
 *
 * @example cacheConformanceSuite('memory', async (clock) => new MemoryCache({ clock }));
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, type Clock } from '../core/clock.js';
import type { Cache, CachedList, CacheKey } from '../storage/cache.js';
import { expectEngineError } from './store-conformance/fixtures.js';

const T0 = Date.UTC(2024, 0, 1);

function list(...pairs: Array<[string, number]>): CachedList {
  return { items: pairs.map(([itemId, score]) => ({ itemId, score })), createdAt: '2024-01-01T00:00:00.000Z' };
}

const key = (list: string, subject: string, digest: string): CacheKey => ({ list, subject, digest });

/** Registers the conformance tests (vitest describe/it) for a cache. */
export function cacheConformanceSuite(name: string, open: (clock: Clock) => Promise<Cache>): void {
  describe(`Cache conformance: ${name}`, () => {
    let clock: ReturnType<typeof fixedClock>;
    let cache: Cache;
    beforeEach(async () => {
      clock = fixedClock(T0);
      cache = await open(clock);
    });
    afterEach(async () => {
      await cache.close();
    });

    it('returns undefined for a missing list and the stored list after put', async () => {
      const k = key('recommend', 'u1', 'd1');
      expect(await cache.get(k)).toBeUndefined();
      await cache.put(k, list(['a', 0.9], ['b', 0.5]));
      expect(await cache.get(k)).toStrictEqual(list(['a', 0.9], ['b', 0.5]));
    });

    it('keeps each item\'s provenance (via) and rejects an empty one', async () => {
      const k = key('recommend', 'u1', 'd1');
      const withVia: CachedList = { items: [{ itemId: 'a', score: 1, via: 'cf' }, { itemId: 'b', score: 0.5 }], createdAt: '2024-01-01T00:00:00.000Z' };
      await cache.put(k, withVia);
      expect(await cache.get(k)).toStrictEqual(withVia);
      await expectEngineError(cache.put(k, { items: [{ itemId: 'a', score: 1, via: '' }], createdAt: '2024-01-01T00:00:00.000Z' }), 'INVALID_INPUT');
    });

    it('keeps the shown items\' credits and care marks, copied, and rejects a credit without an id or a finite weight', async () => {
      const k = key('recommend', 'u1', 'd1');
      const shown: CachedList = {
        items: [
          { itemId: 'a', score: 1, via: 'cf', because: [{ itemId: 'h1', weight: 0.7 }, { itemId: 'h2', weight: 0.2 }], variety: true },
          { itemId: 'b', score: 0.5, via: 'popular', because: [], lessKnown: true },
          { itemId: 'c', score: 0.25, via: 'cf' },
        ],
        createdAt: '2024-01-01T00:00:00.000Z',
      };
      await cache.put(k, shown);
      const got = await cache.get(k);
      expect(got).toStrictEqual(shown);
      got?.items[0].because?.push({ itemId: 'x', weight: 1 });
      expect(await cache.get(k)).toStrictEqual(shown);
      for (const because of [[{ itemId: '', weight: 1 }], [{ itemId: 'h', weight: Number.NaN }]]) {
        await expectEngineError(cache.put(k, { items: [{ itemId: 'a', score: 1, via: 'cf', because }], createdAt: '2024-01-01T00:00:00.000Z' }), 'INVALID_INPUT');
      }
    });

    it('put replaces the list under the same key', async () => {
      const k = key('popular', '', 'd1');
      await cache.put(k, list(['a', 1]));
      await cache.put(k, list(['b', 2]));
      expect(await cache.get(k)).toStrictEqual(list(['b', 2]));
    });

    it('treats keys that differ in any field as different lists', async () => {
      await cache.put(key('recommend', 'u1', 'd1'), list(['a', 1]));
      await cache.put(key('recommend', 'u1', 'd2'), list(['b', 1]));
      await cache.put(key('recommend', 'u2', 'd1'), list(['c', 1]));
      await cache.put(key('similar', 'u1', 'd1'), list(['d', 1]));
      expect((await cache.get(key('recommend', 'u1', 'd1')))?.items[0].itemId).toBe('a');
      expect((await cache.get(key('recommend', 'u1', 'd2')))?.items[0].itemId).toBe('b');
      expect((await cache.get(key('recommend', 'u2', 'd1')))?.items[0].itemId).toBe('c');
      expect((await cache.get(key('similar', 'u1', 'd1')))?.items[0].itemId).toBe('d');
    });

    it('keeps a list for exactly its TTL (by the injected clock) and forever without one', async () => {
      await cache.put(key('recommend', 'u1', 'd'), list(['a', 1]), 60);
      await cache.put(key('popular', '', 'd'), list(['p', 1]));
      clock.advance(59_999);
      expect(await cache.get(key('recommend', 'u1', 'd'))).toBeDefined();
      clock.advance(1);
      expect(await cache.get(key('recommend', 'u1', 'd'))).toBeUndefined();
      clock.advance(365 * 86_400_000);
      expect(await cache.get(key('popular', '', 'd'))).toBeDefined();
    });

    it('a new put restarts the TTL', async () => {
      const k = key('recommend', 'u1', 'd');
      await cache.put(k, list(['a', 1]), 10);
      clock.advance(8_000);
      await cache.put(k, list(['a', 2]), 10);
      clock.advance(8_000);
      expect(await cache.get(k)).toStrictEqual(list(['a', 2]));
    });

    it('invalidate removes exactly the lists matching all given fields and returns how many', async () => {
      await cache.put(key('recommend', 'u1', 'old'), list(['a', 1]));
      await cache.put(key('recommend', 'u2', 'old'), list(['a', 1]));
      await cache.put(key('similar', 'i1', 'old'), list(['a', 1]));
      await cache.put(key('recommend', 'u1', 'new'), list(['a', 1]));
      expect(await cache.invalidate({ list: 'recommend', digest: 'old' })).toBe(2);
      expect(await cache.get(key('recommend', 'u1', 'old'))).toBeUndefined();
      expect(await cache.get(key('similar', 'i1', 'old'))).toBeDefined();
      expect(await cache.invalidate({ subject: 'u1' })).toBe(1);
      expect(await cache.get(key('recommend', 'u1', 'new'))).toBeUndefined();
      expect(await cache.invalidate({ digest: 'nothing-has-this' })).toBe(0);
      expect(await cache.invalidate({})).toBe(1);
      expect(await cache.get(key('similar', 'i1', 'old'))).toBeUndefined();
    });

    it('does not count lists that had already expired', async () => {
      await cache.put(key('recommend', 'u1', 'd'), list(['a', 1]), 1);
      await cache.put(key('recommend', 'u2', 'd'), list(['a', 1]));
      clock.advance(5_000);
      expect(await cache.invalidate({ digest: 'd' })).toBe(1);
    });

    it('hands out copies: mutating a returned or stored list changes nothing cached', async () => {
      const k = key('recommend', 'u1', 'd');
      const l = list(['a', 1]);
      await cache.put(k, l);
      l.items[0].score = 99;
      const got = await cache.get(k);
      got?.items.push({ itemId: 'x', score: 0 });
      expect(await cache.get(k)).toStrictEqual(list(['a', 1]));
    });

    it('stores an empty list (nothing to recommend is an answer too)', async () => {
      await cache.put(key('recommend', 'u1', 'd'), list());
      expect(await cache.get(key('recommend', 'u1', 'd'))).toStrictEqual(list());
    });

    it('rejects invalid keys, scores and TTLs with INVALID_INPUT', async () => {
      await expectEngineError(cache.put(key('', 'u', 'd'), list(['a', 1])), 'INVALID_INPUT');
      await expectEngineError(cache.put(key('l', 'u', 'd'), list(['a', NaN])), 'INVALID_INPUT');
      await expectEngineError(cache.put(key('l', 'u', 'd'), list(['', 1])), 'INVALID_INPUT');
      await expectEngineError(cache.put(key('l', 'u', 'd'), list(['a', 1]), 0), 'INVALID_INPUT');
      await expectEngineError(cache.put(key('l', 'u', 'd'), { items: [], createdAt: 'now' }), 'INVALID_INPUT');
      expect(await cache.get(key('l', 'u', 'd'))).toBeUndefined();
    });

    it('close() may be called twice; calls after close reject', async () => {
      await cache.close();
      await cache.close();
      await expectEngineError(cache.get(key('l', 'u', 'd')), 'INTERNAL');
    });
  });
}
