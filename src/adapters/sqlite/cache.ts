import type { Statement } from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Cache, CachedList, CacheKey } from '../../storage/cache.js';
import { cacheMatchOption, canonicalCacheKey, canonicalCachedList, ttlOption } from '../../storage/records.js';
import { CACHE_SWEEP_EVERY_PUTS, cachedListFromRow, type CacheListRow } from '../sql-rows.js';
import { retryWhileBusy } from './busy.js';
import { BUSY_TIMEOUT_MS, guard, type SqliteDatabase } from './connection.js';

/**
 * `store://`: cached lists in the store's own `cache_lists` table, shared by every process using the database file.
 * It borrows the store's connection; closing the cache leaves the store open.
 *
 * @example const cache = await openCache('store://', sqliteStore); await cache.invalidate({ digest: oldDigest });
 */
export class SqliteCache implements Cache {
  readonly kind = 'store';
  private closed = false;
  private puts = 0;
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly connection: () => SqliteDatabase,
    private readonly clock: Clock,
    /** How long a write waits (on timers) for another writer's lock, as the store's own writes. */
    private readonly lockTimeoutMs: number = BUSY_TIMEOUT_MS,
  ) {}

  async get(key: CacheKey): Promise<CachedList | undefined> {
    const k = canonicalCacheKey(key);
    const row = guard(() => this.statement('SELECT items, created_at, expires_at FROM cache_lists WHERE list = ? AND subject = ? AND digest = ?')
      .get(k.list, k.subject, k.digest) as CacheListRow | undefined);
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= this.clock.now()) {
      await retryWhileBusy(() => this.statement('DELETE FROM cache_lists WHERE list = ? AND subject = ? AND digest = ?').run(k.list, k.subject, k.digest), this.lockTimeoutMs);
      return undefined;
    }
    return cachedListFromRow(row);
  }

  async put(key: CacheKey, list: CachedList, ttlSeconds?: number): Promise<void> {
    const k = canonicalCacheKey(key);
    const ttl = ttlOption(ttlSeconds);
    const value = canonicalCachedList(list);
    const now = this.clock.now();
    await retryWhileBusy(() => this.statement(`INSERT OR REPLACE INTO cache_lists (list, subject, digest, items, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?)`).run(k.list, k.subject, k.digest, JSON.stringify(value.items), value.createdAt,
      ttl === undefined ? null : now + ttl * 1000), this.lockTimeoutMs);
    if (++this.puts % CACHE_SWEEP_EVERY_PUTS === 0) {
      await retryWhileBusy(() => this.statement('DELETE FROM cache_lists WHERE expires_at <= ?').run(now), this.lockTimeoutMs);
    }
  }

  async invalidate(match: Partial<CacheKey>): Promise<number> {
    const m = cacheMatchOption(match);
    const db = this.db();
    const where: string[] = [];
    const params: string[] = [];
    for (const field of ['list', 'subject', 'digest'] as const) {
      const v = m[field];
      if (v === undefined) continue;
      where.push(`${field} = ?`);
      params.push(v);
    }
    const filter = where.length > 0 ? where.join(' AND ') : '1';
    // Counts only live lists (expired ones were already gone for readers) but removes both.
    return retryWhileBusy(() => db.transaction(() => {
      const live = db.prepare(`SELECT COUNT(*) FROM cache_lists WHERE ${filter} AND (expires_at IS NULL OR expires_at > ?)`)
        .pluck().get(...params, this.clock.now()) as number;
      db.prepare(`DELETE FROM cache_lists WHERE ${filter}`).run(...params);
      return live;
    }).immediate(), this.lockTimeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private db(): SqliteDatabase {
    if (this.closed) throw new EngineError('INTERNAL', 'cache is closed');
    return this.connection();
  }

  private statement(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      const db = this.db();
      this.statements.set(sql, (s = guard(() => db.prepare(sql))));
    }
    this.db(); // a statement outlives neither this cache nor the store's connection
    return s;
  }
}
