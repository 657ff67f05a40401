import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Cache, CachedList, CacheKey } from '../../storage/cache.js';
import { cacheMatchOption, canonicalCacheKey, canonicalCachedList, ttlOption } from '../../storage/records.js';
import type { PgRunner } from './pool.js';
import { CACHE_SWEEP_EVERY_PUTS, cachedListFromRow, type CacheListRow } from '../sql-rows.js';

/**
 * `store://` on PostgreSQL: cached lists in the schema's `cache_lists` table (UNLOGGED: a server crash may empty it,
 * which a cache allows), shared by every server on the database. It borrows the store's pool; closing the cache
 * leaves the store open.
 *
 * @example const cache = await openCache('store://', postgresStore); await cache.invalidate({ digest: oldDigest });
 */
export class PostgresCache implements Cache {
  readonly kind = 'store';
  private closed = false;
  private puts = 0;

  constructor(private readonly runner: PgRunner, private readonly clock: Clock) {}

  async get(key: CacheKey): Promise<CachedList | undefined> {
    const k = canonicalCacheKey(key);
    const [row] = await this.db().rows<CacheListRow>('SELECT items, created_at, expires_at FROM cache_lists WHERE list = $1 AND subject = $2 AND digest = $3', [k.list, k.subject, k.digest]);
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= this.clock.now()) {
      await this.db().run('DELETE FROM cache_lists WHERE list = $1 AND subject = $2 AND digest = $3 AND expires_at <= $4', [k.list, k.subject, k.digest, this.clock.now()]);
      return undefined;
    }
    return cachedListFromRow(row);
  }

  async put(key: CacheKey, list: CachedList, ttlSeconds?: number): Promise<void> {
    const k = canonicalCacheKey(key);
    const ttl = ttlOption(ttlSeconds);
    const value = canonicalCachedList(list);
    const now = this.clock.now();
    await this.db().run(`INSERT INTO cache_lists (list, subject, digest, items, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (list, subject, digest) DO UPDATE SET items = excluded.items, created_at = excluded.created_at, expires_at = excluded.expires_at`,
    [k.list, k.subject, k.digest, JSON.stringify(value.items), value.createdAt, ttl === undefined ? null : Math.round(now + ttl * 1000)]);
    if (++this.puts % CACHE_SWEEP_EVERY_PUTS === 0) await this.db().run('DELETE FROM cache_lists WHERE expires_at <= $1', [now]);
  }

  async invalidate(match: Partial<CacheKey>): Promise<number> {
    const m = cacheMatchOption(match);
    const params: unknown[] = [this.clock.now()];
    const where = (['list', 'subject', 'digest'] as const).flatMap((field) => (m[field] === undefined ? [] : [`${field} = $${params.push(m[field])}`]));
    // Counts only live lists (expired ones were already gone for readers) but removes both.
    const [row] = await this.db().rows<{ live: number }>(`WITH gone AS (DELETE FROM cache_lists WHERE ${where.length > 0 ? where.join(' AND ') : 'true'} RETURNING expires_at)
      SELECT COUNT(*) FILTER (WHERE expires_at IS NULL OR expires_at > $1) AS live FROM gone`, params);
    return row.live;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private db(): PgRunner {
    if (this.closed) throw new EngineError('INTERNAL', 'cache is closed');
    return this.runner;
  }
}
