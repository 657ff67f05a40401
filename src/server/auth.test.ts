import { describe, expect, it } from 'vitest';
import { hashApiKey, parseApiKeys, scopeAllows } from '../config/api-keys.js';
import { resolveConfig } from '../config/config.js';
import { authEnabled, bearerToken, createCallerLookup } from './auth.js';
import { createRateLimiter } from './rate-limit.js';
import { requiredScope } from './route-scopes.js';

describe('bearerToken', () => {
  it('reads the token of a Bearer header, case-insensitive scheme', () => {
    expect(bearerToken('Bearer abc123')).toBe('abc123');
    expect(bearerToken('bearer   abc123 ')).toBe('abc123');
  });

  it('rejects other schemes and malformed headers', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken('abc123')).toBeUndefined();
  });
});

describe('createCallerLookup', () => {
  it('finds every configured key with its scope and nothing else', () => {
    const lookup = createCallerLookup(['read:key-one', 'key-two', `write:${hashApiKey('key-three')}`]);
    expect(authEnabled(['key-one'])).toBe(true);
    expect(authEnabled([])).toBe(false);
    expect(lookup('Bearer key-one')).toEqual({ kind: 'key', index: 0, scope: 'read' });
    // A key without a scope keeps its old meaning: full access.
    expect(lookup('Bearer key-two')).toEqual({ kind: 'key', index: 1, scope: 'admin' });
    // A hashed key is found by the key itself, never by its hash.
    expect(lookup('Bearer key-three')).toEqual({ kind: 'key', index: 2, scope: 'write' });
    expect(lookup(`Bearer ${hashApiKey('key-three')}`)).toEqual({ kind: 'anonymous' });
    for (const header of [undefined, 'Bearer key-on', 'Bearer key-one1', 'key-one', 'Bearer read:key-one', 'Bearer ']) {
      expect(lookup(header)).toEqual({ kind: 'anonymous' });
    }
  });
});

describe('parseApiKeys', () => {
  it('reads scopes, hashes and plain keys, holding only digests', () => {
    const [a, b, c] = parseApiKeys(['admin:sha256:' + 'AB'.repeat(32), 'read:k:with:colons', 'sha256:' + '0'.repeat(64)]);
    expect(a).toEqual({ scope: 'admin', digest: Buffer.from('ab'.repeat(32), 'hex'), index: 0 });
    expect(b.scope).toBe('read');
    expect(b.digest.toString('hex')).toBe(hashApiKey('k:with:colons').slice('sha256:'.length));
    expect(c.scope).toBe('admin');
    expect(hashApiKey('k2')).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses empty entries, unknown scopes and malformed hashes without quoting the entry', () => {
    for (const entries of [[''], ['  '], ['read:'], ['amdin:secret-1'], ['write:sha256:abc'], ['sha256:' + 'g'.repeat(64)]]) {
      let thrown: unknown;
      try {
        parseApiKeys(entries);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toMatchObject({ code: 'INVALID_CONFIG', details: { path: 'server.apiKeys', row: 0 } });
      expect((thrown as Error).message).not.toContain('secret-1');
    }
  });

  it('orders scopes admin ⊃ write ⊃ read', () => {
    expect(scopeAllows('admin', 'write')).toBe(true);
    expect(scopeAllows('write', 'read')).toBe(true);
    expect(scopeAllows('write', 'admin')).toBe(false);
    expect(scopeAllows('read', 'write')).toBe(false);
  });
});

describe('server.apiKeys in the configuration', () => {
  it('refuses KINDRED_API_KEYS="," and lists of empty entries instead of turning auth off', () => {
    for (const raw of [',', ' , ,', 'k1,,k2']) {
      expect(() => resolveConfig({}, { KINDRED_API_KEYS: raw })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', details: { path: 'server.apiKeys' } }));
    }
    expect(() => resolveConfig({ server: { apiKeys: [''] } })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => resolveConfig({}, { KINDRED_API_KEYS: 'bogus:k1' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(resolveConfig({}, { KINDRED_API_KEYS: 'admin:k1, read:k2' }).server.apiKeys).toEqual(['admin:k1', 'read:k2']);
  });

  it('needs the TLS certificate and key together', () => {
    expect(() => resolveConfig({ server: { tlsCert: 'cert.pem' } })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', details: { path: 'server.tlsKey' } }));
  });
});

describe('requiredScope', () => {
  it('asks admin for training, rollback, scenario writes and erase; write for other writes; read for GET', () => {
    expect(requiredScope('GET', '/v1/users/:id/recommendations')).toBe('read');
    expect(requiredScope('POST', '/v1/events')).toBe('write');
    expect(requiredScope('PATCH', '/v1/users/:id/preferences')).toBe('write');
    expect(requiredScope('DELETE', '/v1/items/:id')).toBe('write');
    const dashboard = ['GET /v1/stats/events', 'GET /v1/stats/serving', 'GET /v1/items/:id/exposure', 'GET /v1/users/:id/events', 'GET /v1/eval/reports', 'GET /v1/eval/reports/:name', 'HEAD /v1/eval/reports/:name/html'];
    for (const route of ['POST /v1/train', 'POST /v1/models/rollback', 'PUT /v1/scenarios/:name', 'DELETE /v1/scenarios/:name', 'DELETE /v1/users/:id', ...dashboard]) {
      const [method, url] = route.split(' ');
      expect(requiredScope(method, url)).toBe('admin');
    }
  });
});

describe('createRateLimiter', () => {
  it('allows the burst, then refuses with a whole Retry-After until tokens refill', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ perSecond: 0.5, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('key:0').allowed)).toEqual([true, true, true]);
    expect(limiter.take('key:0')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    // Other callers have their own bucket.
    expect(limiter.take('address:10.0.0.1').allowed).toBe(true);
    now += 1500;
    expect(limiter.take('key:0')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 500;
    expect(limiter.take('key:0').allowed).toBe(true);
    expect(limiter.take('key:0').allowed).toBe(false);
  });

  it('never refuses when off, and sweeps idle buckets', () => {
    const off = createRateLimiter({ perSecond: 0, burst: 1 });
    expect(Array.from({ length: 100 }, () => off.take('x').allowed).every(Boolean)).toBe(true);
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, () => now);
    for (let i = 0; i < 10_000; i++) limiter.take(`address:${i}`);
    expect(limiter.size()).toBe(10_000);
    now += 5000;
    limiter.take('address:new');
    expect(limiter.size()).toBe(1);
  });
});
