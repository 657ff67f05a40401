/**
 * The redis:// cache against the Redis server on 127.0.0.1:6379 (CI runs one; `.ci/run` checks it answers first).
 * Every cache opened here gets its own random key prefix, and every key under it is deleted after the run: other
 * test runs share the server.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock, type Clock } from '../../core/clock.js';
import type { LogFields, Logger } from '../../core/logger.js';
import type { CachedList, CacheKey } from '../../storage/cache.js';
import { openCache, openStore } from '../../storage/registry.js';
import { cacheConformanceSuite } from '../../testkit/cache-conformance.js';
import { deleteKeysUnder, keysUnder, testKeyPrefix } from '../../testkit/redis.js';
import { openRedisCache, type RedisCache } from './index.js';
import { OUTAGE_WARN_INTERVAL_MS } from './outage-log.js';

const REDIS = 'redis://127.0.0.1:6379/0';
const admin = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
const prefixes: string[] = [];

function freshPrefix(): string {
  const prefix = testKeyPrefix('redis-cache');
  prefixes.push(prefix);
  return prefix;
}

afterAll(async () => {
  await deleteKeysUnder(admin, prefixes);
  admin.disconnect();
});

const openFresh = (clock?: Clock, logger?: Logger): Promise<RedisCache> => openRedisCache(`${REDIS}?prefix=${freshPrefix()}`, { clock, logger });

/** Runs `test` on a cache under a fresh prefix, and closes the cache after, pass or fail. */
async function withFreshCache(test: (cache: RedisCache, prefix: string) => Promise<void>, clock?: Clock): Promise<void> {
  const prefix = freshPrefix();
  const cache = await openRedisCache(`${REDIS}?prefix=${prefix}`, { clock });
  try {
    await test(cache, prefix);
  } finally {
    await cache.close();
  }
}

cacheConformanceSuite('redis://', (clock) => openFresh(clock));

const list = (...ids: string[]): CachedList => ({ items: ids.map((itemId, i) => ({ itemId, score: 1 - i / 10 })), createdAt: '2024-01-01T00:00:00.000Z' });
const key = (list: string, subject: string, digest: string): CacheKey => ({ list, subject, digest });

function recordingLogger(): Logger & { lines: Array<{ level: string; msg: string; fields?: LogFields }> } {
  const lines: Array<{ level: string; msg: string; fields?: LogFields }> = [];
  const at = (level: string) => (msg: string, fields?: LogFields) => { lines.push({ level, msg, fields }); };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('redis:// cache specifics', () => {
  it('is opened by the registry from its URL and shared: two caches (two servers) on one prefix see each other\'s lists and invalidations', async () => {
    const store = await openStore('memory://');
    const url = `${REDIS}?prefix=${freshPrefix()}`;
    const a = await openCache(url, store);
    const b = await openCache(url, store);
    try {
      expect(a.kind).toBe('redis');
      await a.put(key('recommend', 'u1', 'd'), list('x', 'y'));
      expect(await b.get(key('recommend', 'u1', 'd'))).toStrictEqual(list('x', 'y'));
      expect(await b.invalidate({ subject: 'u1' })).toBe(1);
      expect(await a.get(key('recommend', 'u1', 'd'))).toBeUndefined();
    } finally {
      await a.close();
      await b.close();
      await store.close();
    }
  });

  it('keeps deployments apart by prefix: invalidate({}) under one prefix leaves another\'s lists alone', async () => {
    const a = await openFresh();
    const b = await openFresh();
    try {
      await a.put(key('popular', '', 'd'), list('a'));
      await b.put(key('popular', '', 'd'), list('b'));
      expect(await a.invalidate({})).toBe(1);
      expect(await b.get(key('popular', '', 'd'))).toStrictEqual(list('b'));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps parts with separators and non-ASCII apart, and leaves no key behind after invalidate({})', async () => {
    await withFreshCache(async (cache, prefix) => {
      await cache.put(key('a:b', 'c', 'd'), list('1'));
      await cache.put(key('a', 'b:c', 'd'), list('2'));
      await cache.put(key('a', 'b', 'c:d'), list('3'));
      await cache.put(key('recommend', 'ünïcødé|%3A', ''), list('4'), 3600);
      expect((await cache.get(key('a:b', 'c', 'd')))?.items[0].itemId).toBe('1');
      expect((await cache.get(key('a', 'b:c', 'd')))?.items[0].itemId).toBe('2');
      expect((await cache.get(key('a', 'b', 'c:d')))?.items[0].itemId).toBe('3');
      expect((await cache.get(key('recommend', 'ünïcødé|%3A', '')))?.items[0].itemId).toBe('4');
      expect(await cache.invalidate({ subject: 'b:c' })).toBe(1);
      expect(await cache.get(key('a:b', 'c', 'd'))).toBeDefined();
      expect(await cache.invalidate({})).toBe(3);
      expect(await keysUnder(admin, prefix)).toEqual([]);
    });
  });

  it('sets a real expiry on each list as a backstop, and index sets expire no earlier than their lists', async () => {
    await withFreshCache(async (cache, prefix) => {
      await cache.put(key('recommend', 'u1', 'd1'), list('a'), 60);
      await cache.put(key('recommend', 'u1', 'd2'), list('a'), 600);
      await cache.put(key('popular', '', 'd1'), list('a'));
      const entry = await admin.pttl(`${prefix}e:recommend:u1:d1`);
      expect(entry).toBeGreaterThan(0);
      expect(entry).toBeLessThanOrEqual(60_000);
      expect(await admin.pttl(`${prefix}e:popular::d1`)).toBe(-1);
      expect(await admin.pttl(`${prefix}is:u1`)).toBeGreaterThan(60_000); // lives as long as the 600 s list
      expect(await admin.pttl(`${prefix}id:d1`)).toBe(-1); // holds a list without expiry
      expect(await admin.pttl(`${prefix}id:d2`)).toBeGreaterThan(60_000);
    }, fixedClock(Date.UTC(2024, 0, 1)));
  });

  it('takes fractional and huge TTLs (a huge one is cut to 100 years)', async () => {
    const clock = fixedClock(Date.UTC(2024, 0, 1));
    await withFreshCache(async (cache) => {
      await cache.put(key('recommend', 'u1', 'd'), list('a'), 0.25);
      await cache.put(key('recommend', 'u2', 'd'), list('b'), 1e300);
      clock.advance(249);
      expect(await cache.get(key('recommend', 'u1', 'd'))).toBeDefined();
      clock.advance(1);
      expect(await cache.get(key('recommend', 'u1', 'd'))).toBeUndefined();
      clock.advance(50 * 365 * 86_400_000);
      expect(await cache.get(key('recommend', 'u2', 'd'))).toStrictEqual(list('b'));
      expect(await cache.invalidate({ digest: 'd' })).toBe(1);
    }, clock);
  });

  it('sweepIndexes removes index entries whose list Redis already dropped, and only those', async () => {
    await withFreshCache(async (cache, prefix) => {
      await cache.put(key('recommend', 'u1', 'd'), list('a'));
      await cache.put(key('recommend', 'u2', 'd'), list('a'));
      await admin.del(`${prefix}e:recommend:u1:d`); // as when the PEXPIRE backstop fires or memory pressure evicts it
      let removed = 0;
      for (let step = 0; step < 3; step++) removed += await cache.sweepIndexes();
      expect(removed).toBe(1);
      expect(await admin.smembers(`${prefix}il:recommend`)).toEqual(['recommend:u2:d']);
      expect(await admin.exists(`${prefix}is:u1`)).toBe(0);
      expect(await admin.smembers(`${prefix}id:d`)).toEqual(['recommend:u2:d']);
      expect(await cache.get(key('recommend', 'u2', 'd'))).toBeDefined();
    });
  });

  it('invalidate walks a large index set page by page', async () => {
    await withFreshCache(async (cache) => {
      for (let i = 0; i < 1200; i += 200) {
        await Promise.all(Array.from({ length: 200 }, (_, j) => cache.put(key('recommend', `u${i + j}`, 'd'), list('a'))));
      }
      expect(await cache.invalidate({ list: 'recommend' })).toBe(1200);
      expect(await cache.get(key('recommend', 'u7', 'd'))).toBeUndefined();
    });
  });
});

describe('redis:// cache when Redis does not answer', () => {
  let silent: Server | undefined;
  afterAll(() => new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve())));

  /** A port where nothing listens: bound, then closed again. */
  async function deadPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it('opens anyway; get misses, put and invalidate are dropped, with one warning per interval that names no secret', async () => {
    const clock = fixedClock(0);
    const logger = recordingLogger();
    const cache = await openRedisCache(`redis://kindred:s3cret@127.0.0.1:${await deadPort()}/0?prefix=${freshPrefix()}`, { clock, logger });
    try {
      expect(await cache.get(key('recommend', 'u1', 'd'))).toBeUndefined();
      await cache.put(key('recommend', 'u1', 'd'), list('a'), 60);
      expect(await cache.invalidate({ subject: 'u1' })).toBe(0);
      expect(await cache.invalidate({})).toBe(0);
      const warnings = () => logger.lines.filter((l) => l.level === 'warn');
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0].fields).toMatchObject({ server: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+\/0$/) as unknown, op: 'connect' });
      clock.advance(OUTAGE_WARN_INTERVAL_MS);
      expect(await cache.get(key('recommend', 'u1', 'd'))).toBeUndefined();
      expect(warnings()).toHaveLength(2);
      expect(warnings()[1].fields).toMatchObject({ op: 'get', error: 'NOT_CONNECTED' });
      expect((warnings()[1].fields?.unlogged as number) > 0).toBe(true);
      expect(JSON.stringify(logger.lines)).not.toContain('s3cret');
      expect(JSON.stringify(logger.lines)).not.toContain('u1');
      // Bad input is still the caller's error, Redis or not.
      await expect(cache.put(key('', 'u1', 'd'), list('a'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      await cache.close();
    }
    await expect(cache.get(key('l', 'u', 'd'))).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('comes back by itself when Redis answers again, and says so once', async () => {
    // A TCP relay to the real Redis stands in for the server: closing it is an outage, reopening it the recovery.
    const sockets = new Set<Socket>();
    const relay = createServer((client) => {
      const upstream = connect(6379, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    const listen = (port: number) => new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
    await listen(0);
    const { port } = relay.address() as { port: number };
    const logger = recordingLogger();
    const cache = await openRedisCache(`redis://127.0.0.1:${port}/0?prefix=${freshPrefix()}`, { logger });
    const k = key('recommend', 'u1', 'd');
    try {
      await cache.put(k, list('a'));
      expect(await cache.get(k)).toStrictEqual(list('a'));

      await new Promise<void>((resolve) => { relay.close(() => resolve()); for (const s of sockets) s.destroy(); });
      await expect.poll(() => logger.lines.some((l) => l.level === 'warn'), { timeout: 5_000, interval: 20 }).toBe(true);
      expect(await cache.get(k)).toBeUndefined();

      await listen(port);
      await expect.poll(() => cache.get(k), { timeout: 10_000, interval: 100 }).toStrictEqual(list('a'));
      expect(logger.lines.filter((l) => l.msg === 'cache redis answers again')).toHaveLength(1);
    } finally {
      await cache.close();
      await new Promise<void>((resolve) => { relay.close(() => resolve()); for (const s of sockets) s.destroy(); });
    }
  });

  it('a Redis that accepts connections but never answers costs one timeout, not a hung request', async () => {
    silent = createServer((socket) => socket.resume()); // accepts and reads, never replies
    await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const logger = recordingLogger();
    const cache = await openRedisCache(`redis://127.0.0.1:${port}/0?prefix=${freshPrefix()}&timeoutMs=50`, { logger });
    try {
      expect(await cache.get(key('recommend', 'u1', 'd'))).toBeUndefined();
      await cache.put(key('recommend', 'u1', 'd'), list('a'));
      expect(logger.lines.some((l) => l.level === 'warn')).toBe(true);
    } finally {
      await cache.close();
    }
  });
});
