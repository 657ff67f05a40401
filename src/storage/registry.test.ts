import { describe, expect, it } from 'vitest';
import { isEngineError } from '../core/errors.js';
import type { LogFields } from '../core/logger.js';
import { cacheSchemes, hostsCache, openCache, openStore, storeSchemes } from './registry.js';

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  const e: unknown = await p.then(() => undefined, (err: unknown) => err);
  if (!isEngineError(e)) throw new Error(`expected an EngineError, got ${String(e)}`);
  return { code: e.code, message: e.message, details: e.details };
}

describe('openStore', () => {
  it('knows exactly the memory, sqlite and postgres store schemes and the memory, store and redis cache schemes', () => {
    expect(storeSchemes()).toEqual(['memory', 'sqlite', 'postgres', 'postgresql']);
    expect(cacheSchemes()).toEqual(['memory', 'store', 'redis']);
  });

  it('opens a migrated, usable store for each scheme', async () => {
    for (const [url, kind] of [['memory://', 'memory'], ['sqlite://:memory:', 'sqlite'], ['SQLITE://:memory:', 'sqlite']]) {
      const store = await openStore(url);
      expect(store.kind).toBe(kind);
      expect(await store.addEvents([{ userId: 'u', itemId: 'i', type: 'view', timestamp: '2024-01-01T00:00:00Z' }])).toEqual({ accepted: 1, duplicates: 0 });
      await store.close();
    }
  });

  it('logs the migrations it applies through the injected logger', async () => {
    const lines: Array<[string, LogFields | undefined]> = [];
    const log = (msg: string, fields?: LogFields) => lines.push([msg, fields]);
    const store = await openStore('sqlite://:memory:', { logger: { debug: log, info: log, warn: log, error: log } });
    expect(lines.map(([, f]) => f?.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await store.close();
  });

  it('rejects an unknown scheme with UNKNOWN_SCHEME listing the known ones, without echoing the URL', async () => {
    const err = await rejection(openStore('mysql://kindred:s3cret@db.internal/kindred'));
    expect(err.code).toBe('UNKNOWN_SCHEME');
    expect(err.message).toContain('memory://, sqlite://, postgres://, postgresql://');
    expect(err.details).toMatchObject({ scheme: 'mysql', known: ['memory', 'sqlite', 'postgres', 'postgresql'] });
    expect(JSON.stringify(err)).not.toContain('s3cret');
    expect((await rejection(openStore('./kindred.db'))).code).toBe('UNKNOWN_SCHEME');
  });

  it('rejects paths or options a scheme does not take with INVALID_CONFIG', async () => {
    expect((await rejection(openStore('memory://somewhere'))).code).toBe('INVALID_CONFIG');
    expect((await rejection(openStore('sqlite://'))).code).toBe('INVALID_CONFIG');
    const pg = await rejection(openStore('postgres://kindred:s3cret@db.internal/kindred?schema=Not-Valid'));
    expect(pg.code).toBe('INVALID_CONFIG');
    expect(JSON.stringify(pg)).not.toContain('s3cret');
  });
});

describe('openCache', () => {
  it('memory:// gives an LRU cache, bounded by ?maxEntries', async () => {
    const store = await openStore('memory://');
    const cache = await openCache('memory://?maxEntries=1', store);
    const list = { items: [{ itemId: 'a', score: 1 }], createdAt: '2024-01-01T00:00:00.000Z' };
    await cache.put({ list: 'l', subject: '1', digest: 'd' }, list);
    await cache.put({ list: 'l', subject: '2', digest: 'd' }, list);
    expect(await cache.get({ list: 'l', subject: '1', digest: 'd' })).toBeUndefined();
    expect(await cache.get({ list: 'l', subject: '2', digest: 'd' })).toBeDefined();
    expect((await rejection(openCache('memory://?maxEntries=0', store))).code).toBe('INVALID_CONFIG');
    expect((await rejection(openCache('memory://?size=3', store))).code).toBe('INVALID_CONFIG');
    await store.close();
  });

  it('store:// lives in a SQLite (or PostgreSQL) store and is refused, clearly, for other stores', async () => {
    const memory = await openStore('memory://');
    expect(hostsCache(memory)).toBe(false);
    const err = await rejection(openCache('store://', memory));
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toMatch(/sqlite:\/\//);
    const sqlite = await openStore('sqlite://:memory:');
    expect(hostsCache(sqlite)).toBe(true);
    expect((await openCache('store://', sqlite)).kind).toBe('store');
    await memory.close();
    await sqlite.close();
  });

  it('rejects an unknown cache scheme with UNKNOWN_SCHEME', async () => {
    const store = await openStore('memory://');
    const err = await rejection(openCache('memcached://kindred:s3cret@localhost', store));
    expect(err.code).toBe('UNKNOWN_SCHEME');
    expect(err.message).toContain('memory://, store://, redis://');
    expect(JSON.stringify(err)).not.toContain('s3cret');
    await store.close();
  });
});
