import { describe, expect, it } from 'vitest';
import { parseSqliteUrl } from './url.js';

describe('parseSqliteUrl', () => {
  it('resolves relative paths against the working directory and keeps absolute ones', () => {
    expect(parseSqliteUrl('sqlite://./data/k.db', '/srv/app')).toEqual({ kind: 'file', path: '/srv/app/data/k.db' });
    expect(parseSqliteUrl('sqlite://k.db', '/srv/app')).toEqual({ kind: 'file', path: '/srv/app/k.db' });
    expect(parseSqliteUrl('sqlite://../k.db', '/srv/app')).toEqual({ kind: 'file', path: '/srv/k.db' });
    expect(parseSqliteUrl('sqlite:///var/lib/kindred.db', '/srv/app')).toEqual({ kind: 'file', path: '/var/lib/kindred.db' });
    expect(parseSqliteUrl('sqlite:///tmp/with%20space.db')).toEqual({ kind: 'file', path: '/tmp/with space.db' });
  });

  it('recognises :memory:', () => {
    expect(parseSqliteUrl('sqlite://:memory:')).toEqual({ kind: 'memory' });
  });

  it('rejects an empty path, options and other schemes with INVALID_CONFIG', () => {
    for (const url of ['sqlite://', 'sqlite://k.db?mode=ro', 'postgres://x', 'sqlite:k.db']) {
      expect(() => parseSqliteUrl(url), url).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    }
  });
});
