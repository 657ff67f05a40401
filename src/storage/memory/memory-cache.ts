import { systemClock, type Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Cache, CachedList, CacheKey } from '../cache.js';
import { cacheMatchOption, canonicalCacheKey, canonicalCachedList, ttlOption } from '../records.js';

export interface MemoryCacheOptions {
  /** Time source for TTLs. */
  clock?: Clock;
  /** Most lists kept; the least recently used is evicted first. Default 10,000. */
  maxEntries?: number;
  /** TTL applied when `put` gives none; default none (lists live until evicted or invalidated). */
  defaultTtlSeconds?: number;
}

interface Entry {
  key: CacheKey;
  list: CachedList;
  /** Epoch ms; Infinity when the entry never expires. */
  expiresAt: number;
}

export const DEFAULT_MAX_ENTRIES = 10_000;

function encode(key: CacheKey): string {
  return JSON.stringify([key.list, key.subject, key.digest]);
}

function copyOf(list: CachedList): CachedList {
  return { items: list.items.map((x) => (x.because ? { ...x, because: x.because.map((b) => ({ ...b })) } : { ...x })), createdAt: list.createdAt };
}

/**
 * `memory://`: an LRU-bounded map with per-entry TTL. A Map keeps insertion order, so re-inserting on every hit makes
 * its first key the least recently used.
 *
 * @example const cache = new MemoryCache({ maxEntries: 1000 }); await cache.put({ list: 'popular', subject: '', digest: 'd1' }, list, 60);
 */
export class MemoryCache implements Cache {
  readonly kind = 'memory';
  private readonly entries = new Map<string, Entry>();
  /**
   * The keys of `entries` by subject: every recommend request that computes a list drops the user's older lists
   * first (invalidate by list and subject), which scanned all entries (up to maxEntries) per request.
   */
  private readonly bySubject = new Map<string, Set<string>>();
  private readonly clock: Clock;
  private readonly maxEntries: number;
  private readonly defaultTtlSeconds: number | undefined;
  private closed = false;

  constructor(opts: MemoryCacheOptions = {}) {
    const max = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isSafeInteger(max) || max < 1) throw new EngineError('INVALID_CONFIG', 'maxEntries must be a positive integer', { path: '/maxEntries' });
    this.clock = opts.clock ?? systemClock;
    this.maxEntries = max;
    this.defaultTtlSeconds = ttlOption(opts.defaultTtlSeconds);
  }

  get size(): number {
    return this.entries.size;
  }

  async get(key: CacheKey): Promise<CachedList | undefined> {
    this.ensureOpen();
    const k = encode(canonicalCacheKey(key));
    const entry = this.entries.get(k);
    if (!entry) return undefined;
    this.entries.delete(k);
    if (entry.expiresAt <= this.clock.now()) {
      this.unindex(k, entry);
      return undefined;
    }
    this.entries.set(k, entry);
    return copyOf(entry.list);
  }

  async put(key: CacheKey, list: CachedList, ttlSeconds?: number): Promise<void> {
    this.ensureOpen();
    const checkedKey = canonicalCacheKey(key);
    const ttl = ttlOption(ttlSeconds) ?? this.defaultTtlSeconds;
    const entry: Entry = {
      key: checkedKey,
      list: canonicalCachedList(list),
      expiresAt: ttl === undefined ? Infinity : this.clock.now() + ttl * 1000,
    };
    const k = encode(checkedKey);
    this.entries.delete(k);
    this.entries.set(k, entry);
    const keys = this.bySubject.get(checkedKey.subject) ?? new Set<string>();
    keys.add(k);
    this.bySubject.set(checkedKey.subject, keys);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.entries().next();
      if (oldest.done) break;
      this.remove(oldest.value[0], oldest.value[1]);
    }
  }

  async invalidate(match: Partial<CacheKey>): Promise<number> {
    this.ensureOpen();
    const m = cacheMatchOption(match);
    const now = this.clock.now();
    let live = 0;
    // one subject's keys when the match names it, else every key (copied: entries are removed while looking)
    const keys = m.subject !== undefined ? [...(this.bySubject.get(m.subject) ?? [])] : [...this.entries.keys()];
    for (const k of keys) {
      const e = this.entries.get(k);
      if (!e) continue;
      if (m.list !== undefined && e.key.list !== m.list) continue;
      if (m.subject !== undefined && e.key.subject !== m.subject) continue;
      if (m.digest !== undefined && e.key.digest !== m.digest) continue;
      if (e.expiresAt > now) live++; // expired entries are removed too but were already gone for readers
      this.remove(k, e);
    }
    return live;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.entries.clear();
    this.bySubject.clear();
  }

  private remove(k: string, e: Entry): void {
    this.entries.delete(k);
    this.unindex(k, e);
  }

  private unindex(k: string, e: Entry): void {
    const keys = this.bySubject.get(e.key.subject);
    keys?.delete(k);
    if (keys?.size === 0) this.bySubject.delete(e.key.subject);
  }

  private ensureOpen(): void {
    if (this.closed) throw new EngineError('INTERNAL', 'cache is closed');
  }
}
