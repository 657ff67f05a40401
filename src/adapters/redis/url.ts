import { EngineError } from '../../core/errors.js';
import { showableName } from '../../core/safe-name.js';

/** What a redis:// URL names: where the server is, which logical database, and the key prefix of this deployment. */
export interface RedisLocation {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** Every key this cache writes starts with it; deployments sharing one Redis database keep apart by prefix. */
  prefix: string;
  /** How long one command may wait for Redis (connect included) before the cache treats it as down. */
  timeoutMs: number;
}

export const DEFAULT_PREFIX = 'kindred:';
export const DEFAULT_TIMEOUT_MS = 500;
const DEFAULT_PORT = 6379;
// Redis' default `databases` is 16; a server configured for more accepts higher numbers, so only the sign and size are checked.
const MAX_DB = 1_000_000;
// Prefixes are written into every key name; a small alphabet keeps them readable in redis-cli and free of glob characters.
const PREFIX_PATTERN = /^[A-Za-z0-9:_.-]{1,100}$/;
const OPTIONS = ['prefix', 'timeoutMs'];

function invalid(message: string, details: Record<string, unknown> = {}): EngineError {
  // Never the URL itself: it may carry a password.
  return new EngineError('INVALID_CONFIG', message, { path: '/cache/url', ...details });
}

/**
 * Parses `redis://[user:password@]host[:port][/db][?prefix=kindred:&timeoutMs=500]`. Unknown options are rejected
 * (silently ignoring one would surprise); errors never repeat the URL, which may carry a password.
 *
 * @example parseRedisUrl('redis://127.0.0.1:6379/2?prefix=shop1:') // { host: '127.0.0.1', port: 6379, db: 2, prefix: 'shop1:', timeoutMs: 500 }
 */
export function parseRedisUrl(url: string): RedisLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('cache URL redis:// is not a valid URL: expected redis://host:port/db?prefix=kindred:');
  }
  if (parsed.protocol !== 'redis:') throw invalid('a Redis cache URL starts with redis://');
  if (parsed.hostname === '') throw invalid('cache URL redis:// needs a host, e.g. redis://127.0.0.1:6379');
  if (parsed.hash !== '') throw invalid('cache URL redis:// takes no #fragment');

  const port = parsed.port === '' ? DEFAULT_PORT : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  if (!/^\d{0,7}$/.test(dbText) || Number(dbText) > MAX_DB) throw invalid('the path of a redis:// URL is the database number, e.g. redis://127.0.0.1:6379/0');
  const db = dbText === '' ? 0 : Number(dbText);

  for (const name of new Set(parsed.searchParams.keys())) {
    if (!OPTIONS.includes(name)) {
      throw invalid(`unknown redis:// option ${showableName(name) ?? '…'} (known: ${OPTIONS.join(', ')})`, { known: OPTIONS });
    }
    if (parsed.searchParams.getAll(name).length > 1) throw invalid(`redis:// option ${name} is given more than once`);
  }
  const prefix = parsed.searchParams.get('prefix') ?? DEFAULT_PREFIX;
  if (!PREFIX_PATTERN.test(prefix)) throw invalid('redis:// option prefix must be 1 to 100 characters of A-Z a-z 0-9 : _ . -', { option: 'prefix' });
  const timeoutText = parsed.searchParams.get('timeoutMs');
  const timeoutMs = timeoutText === null ? DEFAULT_TIMEOUT_MS : Number(timeoutText);
  if (!/^\d+$/.test(timeoutText ?? '0') || !Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    throw invalid('redis:// option timeoutMs must be an integer from 1 to 60000', { option: 'timeoutMs' });
  }

  const location: RedisLocation = { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port, db, prefix, timeoutMs };
  if (parsed.username !== '') location.username = decodeURIComponent(parsed.username);
  if (parsed.password !== '') location.password = decodeURIComponent(parsed.password);
  return location;
}

/** Where the cache points, safe for logs and errors: host, port and database, never the credentials. */
export function describeRedis(location: RedisLocation): string {
  const host = location.host.includes(':') ? `[${location.host}]` : location.host;
  return `redis://${host}:${location.port}/${location.db}`;
}
