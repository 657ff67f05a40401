/**
 * Stores and caches chosen by URL scheme from an exact registry, never by guessing. Adapters are imported only when
 * their scheme is opened, so their drivers (better-sqlite3, pg, ioredis) load on demand.
 */
import { systemClock, type Clock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Cache } from './cache.js';
import { DEFAULT_MAX_ENTRIES, MemoryCache } from './memory/memory-cache.js';
import { MemoryStore } from './memory/memory-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  logger?: Logger;
  /** Time source for records the store stamps (artifact and migration times). */
  clock?: Clock;
  /**
   * false: a store that does not exist yet is an error (EngineError NOT_FOUND naming where it was looked for) instead
   * of being created; read commands use it so a mistyped path creates nothing. Default true. memory:// ignores it.
   */
  create?: boolean;
  /** What a commit promises on power loss (config store.durability; memory:// keeps nothing across restarts anyway). */
  durability?: 'full' | 'normal';
  /** How long a write waits for another writer's lock before failing with CONFLICT (config store.lockTimeoutMs). */
  lockTimeoutMs?: number;
}

/** A store that can keep the cache in one of its own tables (what `store://` needs). */
export interface CacheHostingStore extends Store {
  openTableCache(clock: Clock): Cache;
}

/** Type guard: can this store host the `store://` cache? */
export function hostsCache(store: Store): store is CacheHostingStore {
  return typeof (store as Partial<CacheHostingStore>).openTableCache === 'function';
}

const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

type StoreOpener = (url: string, opts: Required<OpenStoreOptions>) => Promise<Store>;
type CacheOpener = (url: string, store: Store, clock: Clock, logger: Logger) => Promise<Cache>;

const STORE_SCHEMES: ReadonlyMap<string, StoreOpener> = new Map<string, StoreOpener>([
  ['memory', async (url, opts) => {
    requireBare(url, 'memory://', 'store');
    return new MemoryStore({ clock: opts.clock });
  }],
  ['sqlite', async (url, opts) => (await import('../adapters/sqlite/index.js')).openSqliteStore(url, { ...opts, busyTimeoutMs: opts.lockTimeoutMs })],
  ['postgres', openPostgres],
  ['postgresql', openPostgres],
]);

async function openPostgres(url: string, opts: Required<OpenStoreOptions>): Promise<Store> {
  return (await import('../adapters/postgres/index.js')).openPostgresStore(url, opts);
}

const CACHE_SCHEMES: ReadonlyMap<string, CacheOpener> = new Map<string, CacheOpener>([
  ['memory', async (url, _store, clock) => new MemoryCache({ clock, maxEntries: memoryCacheMaxEntries(url) })],
  ['store', async (url, store, clock) => {
    requireBare(url, 'store://', 'cache');
    if (!hostsCache(store)) {
      throw new EngineError('INVALID_CONFIG', `cache store:// keeps lists in the store's database, which a ${store.kind} store cannot; use sqlite:// or postgres:// for the store, or memory:// for the cache`, { path: '/cache/url', storeKind: store.kind });
    }
    return store.openTableCache(clock);
  }],
  ['redis', async (url, _store, clock, logger) => (await import('../adapters/redis/index.js')).openRedisCache(url, { clock, logger })],
]);

/** The schemes `openStore` accepts, e.g. ['memory', 'sqlite', 'postgres', 'postgresql']. */
export function storeSchemes(): string[] {
  return [...STORE_SCHEMES.keys()];
}

/** The schemes `openCache` accepts, e.g. ['memory', 'store', 'redis']. */
export function cacheSchemes(): string[] {
  return [...CACHE_SCHEMES.keys()];
}

/**
 * Opens and migrates the store a URL names: `memory://`, `sqlite://./kindred.db`, `sqlite:///abs/path.db`,
 * `sqlite://:memory:`, `postgres://user@host:5432/db?schema=name&pool=10` (also `postgresql://`). An unknown scheme is an EngineError UNKNOWN_SCHEME listing the known ones. With
 * `create: false` a missing database is an EngineError NOT_FOUND and nothing is created.
 *
 * @example const store = await openStore('sqlite://./kindred.db', { logger, create: false });
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const opener = STORE_SCHEMES.get(schemeOf(url, 'store', STORE_SCHEMES));
  if (!opener) throw unknownScheme(url, 'store', STORE_SCHEMES);
  const store = await opener(url, {
    logger: opts.logger ?? silentLogger,
    clock: opts.clock ?? systemClock,
    create: opts.create ?? true,
    durability: opts.durability ?? 'full',
    lockTimeoutMs: opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
  });
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

/**
 * Opens the cache a URL names: `memory://` (LRU, optionally `memory://?maxEntries=50000`), `store://` (a table
 * in the store's own database; needs a store that can host it: sqlite:// or postgres://) or `redis://host:port/db?prefix=kindred:`
 * (shared by every server; see docs/serving.md). `logger` hears of a Redis that stops answering.
 *
 * @example const cache = await openCache('memory://', store);
 */
export async function openCache(url: string, store: Store, clock: Clock = systemClock, logger: Logger = silentLogger): Promise<Cache> {
  const opener = CACHE_SCHEMES.get(schemeOf(url, 'cache', CACHE_SCHEMES));
  if (!opener) throw unknownScheme(url, 'cache', CACHE_SCHEMES);
  return opener(url, store, clock, logger);
}

// The scheme only: URLs may carry credentials (postgres://user:secret@...), so errors never echo the whole URL.
function schemeOf(url: string, what: 'store' | 'cache', known: ReadonlyMap<string, unknown>): string {
  const m = typeof url === 'string' ? /^([a-z][a-z0-9+.-]*):/i.exec(url) : null;
  if (!m) {
    throw new EngineError('UNKNOWN_SCHEME', `${what} URL must start with a scheme, one of: ${[...known.keys()].map((s) => `${s}://`).join(', ')}`, { path: `/${what}/url` });
  }
  return m[1].toLowerCase();
}

function unknownScheme(url: string, what: 'store' | 'cache', known: ReadonlyMap<string, unknown>): EngineError {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? '';
  return new EngineError('UNKNOWN_SCHEME', `unknown ${what} scheme "${scheme}:"; known: ${[...known.keys()].map((s) => `${s}://`).join(', ')}`, { path: `/${what}/url`, scheme, known: [...known.keys()] });
}

function requireBare(url: string, expected: string, what: 'store' | 'cache'): void {
  if (url.toLowerCase() !== expected) {
    throw new EngineError('INVALID_CONFIG', `${what} URL ${expected} takes no path or options`, { path: `/${what}/url` });
  }
}

function memoryCacheMaxEntries(url: string): number {
  const m = /^memory:\/\/(?:\?maxEntries=(\d+))?$/i.exec(url);
  if (!m) throw new EngineError('INVALID_CONFIG', 'cache URL memory:// takes only the option ?maxEntries=<n>', { path: '/cache/url' });
  return m[1] === undefined ? DEFAULT_MAX_ENTRIES : Number(m[1]);
}
