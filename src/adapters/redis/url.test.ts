import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../core/errors.js';
import { DEFAULT_PREFIX, DEFAULT_TIMEOUT_MS, describeRedis, parseRedisUrl } from './url.js';

function failure(url: string): { code: string; message: string; details: Record<string, unknown> } {
  try {
    parseRedisUrl(url);
  } catch (e) {
    if (isEngineError(e)) return { code: e.code, message: e.message, details: e.details };
    throw e;
  }
  throw new Error('expected parseRedisUrl to fail');
}

describe('parseRedisUrl', () => {
  it('reads host, port, database and options, with defaults for what is left out', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379/2?prefix=shop1:&timeoutMs=250')).toEqual({ host: '127.0.0.1', port: 6379, db: 2, prefix: 'shop1:', timeoutMs: 250 });
    expect(parseRedisUrl('redis://cache.internal')).toEqual({ host: 'cache.internal', port: 6379, db: 0, prefix: DEFAULT_PREFIX, timeoutMs: DEFAULT_TIMEOUT_MS });
    expect(parseRedisUrl('redis://[::1]:7000/')).toMatchObject({ host: '::1', port: 7000, db: 0 });
  });

  it('decodes credentials, and describeRedis leaves them out', () => {
    const location = parseRedisUrl('redis://kindred:p%40ss@10.0.0.5:6380/1');
    expect(location).toMatchObject({ username: 'kindred', password: 'p@ss', host: '10.0.0.5', port: 6380, db: 1 });
    expect(parseRedisUrl('redis://:only-a-password@h')).toMatchObject({ password: 'only-a-password' });
    expect(parseRedisUrl('redis://:only-a-password@h').username).toBeUndefined();
    expect(describeRedis(location)).toBe('redis://10.0.0.5:6380/1');
    expect(describeRedis(parseRedisUrl('redis://[::1]'))).toBe('redis://[::1]:6379/0');
  });

  it('rejects what it cannot use with INVALID_CONFIG, never echoing the URL or its password', () => {
    for (const url of [
      'redis://user:s3cret@host/notanumber',
      'redis://user:s3cret@host/0/extra',
      'redis://user:s3cret@host:99999',
      'redis://user:s3cret@/0',
      'redis://user:s3cret@host/0?db=1',
      'redis://user:s3cret@host/0?prefix=a&prefix=b',
      'redis://user:s3cret@host/0?prefix=has space',
      'redis://user:s3cret@host/0?prefix=',
      'redis://user:s3cret@host/0?timeoutMs=0',
      'redis://user:s3cret@host/0?timeoutMs=1.5',
      'redis://user:s3cret@host/0#frag',
      'rediss://user:s3cret@host/0',
    ]) {
      const err = failure(url);
      expect(err.code, url).toBe('INVALID_CONFIG');
      expect(err.details.path).toBe('/cache/url');
      expect(JSON.stringify(err), url).not.toContain('s3cret');
    }
    expect(failure('redis://h/0?db=1').message).toContain('unknown redis:// option db (known: prefix, timeoutMs)');
  });
});
