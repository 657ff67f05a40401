import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Cache, CachedList, CacheKey } from '../../storage/cache.js';
import { cacheMatchOption, canonicalCacheKey, canonicalCachedList, ttlOption } from '../../storage/records.js';
import type { OutageLog } from './outage-log.js';
import { DROP_IDS_SCRIPT, DROP_INTERSECTION_SCRIPT, FORGET_EMPTY_LIST_SCRIPT, PRUNE_SCRIPT, PUT_SCRIPT } from './scripts.js';

/** Ids handed to one script call and asked of one SSCAN step: a script blocks Redis while it runs, so batches stay small. */
const BATCH = 500;
/** One sweep step (stale index entries, see sweepIndexes) every this-many puts of this process. */
const SWEEP_EVERY_PUTS = 1000;
/** Longer TTLs are cut to 100 years: expiry times stay integers Redis (PX) and the scripts' patterns accept. */
const MAX_TTL_MS = 100 * 365 * 86_400_000;

const encodePart = (part: string): string => encodeURIComponent(part);
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

/** Thrown through the helpers below when Redis fails mid-operation, carrying what was already done. */
interface Progress { removed: number }

/**
 * `redis://`: lists in a Redis server shared by every API server of a deployment (client: ioredis, the maintained,
 * widely used Redis client for Node, with scripts, pipelining and reconnection built in). Scripts keep each list and
 * its index entries consistent; `invalidate` walks index sets, never the key space (see scripts.ts for the layout).
 *
 * Expiry follows the injected clock: a list stores its expiry time, checked on every read, and carries a real PEXPIRE
 * as a backstop so Redis frees it too. A Redis that is down or slow never fails a request: get misses, put and
 * invalidate are dropped (the keys of personal lists carry the model, config and history digests, so a dropped
 * invalidation never serves a stale list), each logged at most every 30 s.
 *
 * @example const cache = await openRedisCache('redis://127.0.0.1:6379/0?prefix=shop:', { clock, logger }); await cache.get(key);
 */
export class RedisCache implements Cache {
  readonly kind = 'redis';
  private closed = false;
  private puts = 0;
  private sweepAt = { list: 0, cursor: '0' };
  private readonly shas = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly outage: OutageLog,
  ) {}

  async get(key: CacheKey): Promise<CachedList | undefined> {
    this.ensureOpen();
    const raw = await this.guarded('get', () => this.redis.get(this.entryKey(canonicalCacheKey(key))), null);
    if (raw === null) return undefined;
    const bar = raw.indexOf('|');
    const expiresAt = raw.slice(0, bar);
    if (bar < 0 || (expiresAt !== '' && Number(expiresAt) <= this.clock.now())) return undefined;
    try {
      return canonicalCachedList(JSON.parse(raw.slice(bar + 1)) as CachedList);
    } catch (err) {
      this.outage.failed('get', err); // written by something else under our prefix: a miss, and worth a warning
      return undefined;
    }
  }

  async put(key: CacheKey, list: CachedList, ttlSeconds?: number): Promise<void> {
    this.ensureOpen();
    const id = this.idOf(canonicalCacheKey(key));
    const ttl = ttlOption(ttlSeconds);
    const value = canonicalCachedList(list);
    const ttlMs = ttl === undefined ? undefined : Math.min(MAX_TTL_MS, Math.max(1, Math.round(ttl * 1000)));
    const expiresAt = ttlMs === undefined ? '' : String(this.clock.now() + ttlMs);
    await this.guarded('put', () => this.script(PUT_SCRIPT, [this.prefix, id, `${expiresAt}|${JSON.stringify(value)}`, ttlMs ?? '']), undefined);
    if (++this.puts % SWEEP_EVERY_PUTS === 0) await this.sweepIndexes();
  }

  async invalidate(match: Partial<CacheKey>): Promise<number> {
    this.ensureOpen();
    const m = cacheMatchOption(match);
    const now = this.clock.now();
    const progress: Progress = { removed: 0 };
    const sets: string[] = [];
    if (m.list !== undefined) sets.push(`${this.prefix}il:${encodePart(m.list)}`);
    if (m.subject !== undefined) sets.push(`${this.prefix}is:${encodePart(m.subject)}`);
    if (m.digest !== undefined) sets.push(`${this.prefix}id:${encodePart(m.digest)}`);
    const removed = await this.guarded('invalidate', async () => {
      if (sets.length >= 2) {
        progress.removed += Number(await this.script(DROP_INTERSECTION_SCRIPT, [this.prefix, now, ...sets]));
      } else if (sets.length === 1) {
        await this.dropSet(sets[0], now, progress);
        if (m.list !== undefined) await this.script(FORGET_EMPTY_LIST_SCRIPT, [this.prefix, encodePart(m.list)]);
      } else {
        for (const list of await this.redis.smembers(`${this.prefix}lists`)) {
          await this.dropSet(`${this.prefix}il:${list}`, now, progress);
          await this.script(FORGET_EMPTY_LIST_SCRIPT, [this.prefix, list]);
        }
      }
      return progress.removed;
    }, undefined);
    return removed ?? progress.removed; // on a failure midway: what was removed before it
  }

  /**
   * One step of housekeeping: index entries whose list Redis already dropped (its PEXPIRE backstop fired, or memory
   * pressure evicted it) are removed, one SSCAN page of one list-name set per call, moving on from where the previous
   * call stopped. Runs every 1000 puts of a process; any process may run it, steps of several servers do not clash.
   * Returns how many index entries were removed.
   *
   * @example await cache.sweepIndexes()
   */
  async sweepIndexes(): Promise<number> {
    this.ensureOpen();
    return (await this.guarded('sweep', async () => {
      const lists = (await this.redis.smembers(`${this.prefix}lists`)).sort();
      if (lists.length === 0) return 0;
      const list = lists[this.sweepAt.list % lists.length];
      const [next, ids] = await this.redis.sscan(`${this.prefix}il:${list}`, this.sweepAt.cursor, 'COUNT', BATCH);
      this.sweepAt = next === '0' ? { list: this.sweepAt.list + 1, cursor: '0' } : { list: this.sweepAt.list, cursor: next };
      return ids.length === 0 ? 0 : Number(await this.script(PRUNE_SCRIPT, [this.prefix, ...ids]));
    }, 0)) ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.redis.status === 'ready') {
      try {
        await this.redis.quit();
        return;
      } catch {
        // fall through: a connection that cannot say goodbye is simply dropped
      }
    }
    this.redis.disconnect();
  }

  /** Removes every list a set indexes, one SSCAN page at a time (a set may hold every user's list). */
  private async dropSet(set: string, now: number, progress: Progress): Promise<void> {
    let cursor = '0';
    do {
      const [next, ids] = await this.redis.sscan(set, cursor, 'COUNT', BATCH);
      if (ids.length > 0) progress.removed += Number(await this.script(DROP_IDS_SCRIPT, [this.prefix, now, ...ids]));
      cursor = next;
    } while (cursor !== '0');
  }

  /** Runs a script by its SHA, loading it on the first NOSCRIPT (a new or restarted Redis). */
  private async script(lua: string, args: Array<string | number>): Promise<unknown> {
    let sha = this.shas.get(lua);
    if (sha === undefined) this.shas.set(lua, (sha = sha1(lua)));
    try {
      return await this.redis.evalsha(sha, 0, ...args);
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      return this.redis.eval(lua, 0, ...args);
    }
  }

  /** Runs a Redis call; a failure is logged (rate-limited) and answered with `fallback` instead of failing the request. */
  private async guarded<T, F>(op: 'get' | 'put' | 'invalidate' | 'sweep', run: () => Promise<T>, fallback: F): Promise<T | F> {
    try {
      const result = await run();
      this.outage.succeeded();
      return result;
    } catch (err) {
      if (this.closed) throw closedError();
      this.outage.failed(op, err);
      return fallback;
    }
  }

  private idOf(key: CacheKey): string {
    return `${encodePart(key.list)}:${encodePart(key.subject)}:${encodePart(key.digest)}`;
  }

  private entryKey(key: CacheKey): string {
    return `${this.prefix}e:${this.idOf(key)}`;
  }

  private ensureOpen(): void {
    if (this.closed) throw closedError();
  }
}

function closedError(): EngineError {
  return new EngineError('INTERNAL', 'cache is closed');
}
