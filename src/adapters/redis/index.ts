/**
 * The Redis adapter: the `redis://` cache, shared by every API server of a deployment. Files: url.ts (the URL and its
 * options), scripts.ts (the key layout and the Lua that keeps it consistent), cache.ts (the Cache), outage-log.ts
 * (rate-limited warnings while Redis is unreachable) and this index. ioredis is loaded only when the scheme is opened.
 */
import { Redis } from 'ioredis';
import { systemClock, type Clock } from '../../core/clock.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { RedisCache } from './cache.js';
import { OutageLog } from './outage-log.js';
import { describeRedis, parseRedisUrl } from './url.js';

export { RedisCache } from './cache.js';
export { parseRedisUrl, describeRedis, type RedisLocation } from './url.js';

export interface OpenRedisCacheOptions {
  clock?: Clock;
  logger?: Logger;
}

/** Reconnection back-off: 100 ms, 200 ms, ... up to 2 s between attempts, forever (a cache comes back by itself). */
const reconnectDelay = (attempt: number): number => Math.min(attempt * 100, 2000);

/**
 * Connects to the Redis a redis:// URL names and returns the cache over it. A Redis that does not answer within the
 * URL's timeoutMs is not an error: the cache starts empty-handed (gets miss, puts are dropped, a warning is logged)
 * and keeps reconnecting in the background, so a server comes up while its cache is still down.
 *
 * @example const cache = await openRedisCache('redis://127.0.0.1:6379/0?prefix=kindred:', { logger });
 */
export async function openRedisCache(url: string, opts: OpenRedisCacheOptions = {}): Promise<RedisCache> {
  const location = parseRedisUrl(url);
  const clock = opts.clock ?? systemClock;
  const outage = new OutageLog(opts.logger ?? silentLogger, clock, describeRedis(location));
  const redis = new Redis({
    host: location.host,
    port: location.port,
    db: location.db,
    username: location.username,
    password: location.password,
    lazyConnect: true,
    // A request never waits for Redis: commands fail at once while disconnected and after timeoutMs when it hangs.
    enableOfflineQueue: false,
    connectTimeout: location.timeoutMs,
    commandTimeout: location.timeoutMs,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: reconnectDelay,
  });
  // Connection errors also arrive as events; unheard, ioredis would print them (with the address) to stderr.
  redis.on('error', (err: unknown) => outage.failed('connect', err));
  await connectWithin(redis, location.timeoutMs).catch((err: unknown) => outage.failed('connect', err));
  return new RedisCache(redis, location.prefix, clock, outage);
}

/**
 * Waits for the connection to be ready, at most `ms`: connectTimeout covers the TCP handshake only, and a server that
 * accepts but never answers would hold the ready check (and so `connect()`) forever.
 */
async function connectWithin(redis: Redis, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('Redis did not answer in time'), { code: 'TIMEOUT' })), ms);
  });
  try {
    await Promise.race([redis.connect(), late]);
  } finally {
    clearTimeout(timer);
  }
}
