import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../core/errors.js';
import { scopedChannel } from './notices.js';
import { parsePostgresUrl } from './url.js';

function configError(url: string): { code: string; text: string } {
  try {
    parsePostgresUrl(url);
  } catch (e) {
    if (isEngineError(e)) return { code: e.code, text: JSON.stringify({ message: e.message, details: e.details }) };
    throw e;
  }
  throw new Error('expected the URL to be refused');
}

describe('parsePostgresUrl', () => {
  it('reads schema (default public) and pool (default 10), and passes the rest to node-postgres without them', () => {
    expect(parsePostgresUrl('postgres://postgres@127.0.0.1:5432/test')).toEqual({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', schema: 'public', poolSize: 10 });
    const loc = parsePostgresUrl('postgresql://kindred:pw@db:6543/shop?schema=eu_shop&pool=3&sslmode=require');
    expect(loc).toEqual({ connectionString: 'postgresql://kindred:pw@db:6543/shop?sslmode=require', schema: 'eu_shop', poolSize: 3 });
    expect(parsePostgresUrl('POSTGRES://h/db').schema).toBe('public');
  });

  it('connects as PGUSER, else postgres, when the URL names no user (not as the OS user)', () => {
    expect(parsePostgresUrl('postgres://127.0.0.1:5432/test', {}).connectionString).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(parsePostgresUrl('postgres://127.0.0.1:5432/test', { PGUSER: 'shop' }).connectionString).toBe('postgres://shop@127.0.0.1:5432/test');
    expect(parsePostgresUrl('postgres://kindred@127.0.0.1:5432/test', { PGUSER: 'shop' }).connectionString).toBe('postgres://kindred@127.0.0.1:5432/test');
  });

  it('refuses a bad schema, pool or unknown option with INVALID_CONFIG, never echoing the password', () => {
    for (const url of [
      'postgres://u:s3cret@h/db?schema=Upper', 'postgres://u:s3cret@h/db?schema=a-b', 'postgres://u:s3cret@h/db?pool=0',
      'postgres://u:s3cret@h/db?pool=1.5', 'postgres://u:s3cret@h/db?poolsize=3', 'postgres://u:s3cret@h', 'postgres://u:s3cret@/db',
      'postgres://u:s3cret@h/db#frag', 'mysql://u:s3cret@h/db',
    ]) {
      const err = configError(url);
      expect(err.code).toBe('INVALID_CONFIG');
      expect(err.text).not.toContain('s3cret');
    }
    expect(configError('postgres://h/db?poolsize=3').text).toContain('poolsize');
  });
});

describe('scopedChannel', () => {
  it('scopes a channel to its schema within 63 bytes', () => {
    expect(scopedChannel('public', 'artifacts')).toMatch(/^kindred_[0-9a-f]{12}_artifacts$/);
    expect(scopedChannel('eu', 'artifacts')).not.toBe(scopedChannel('us', 'artifacts'));
    const long = scopedChannel('public', 'x'.repeat(100));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(long).not.toBe(scopedChannel('public', `${'x'.repeat(99)}y`));
  });
});
