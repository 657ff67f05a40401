import { describe, expect, it } from 'vitest';
import { authEnabled, bearerToken, createApiKeyCheck } from './auth.js';

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

describe('createApiKeyCheck', () => {
  it('lets everything through when no keys are configured', () => {
    const check = createApiKeyCheck([]);
    expect(check(undefined)).toBe(true);
    expect(check('Bearer anything')).toBe(true);
    expect(authEnabled([])).toBe(false);
    expect(authEnabled([''])).toBe(false);
  });

  it('accepts any configured key and nothing else', () => {
    const check = createApiKeyCheck(['key-one', 'key-two']);
    expect(authEnabled(['key-one'])).toBe(true);
    expect(check('Bearer key-one')).toBe(true);
    expect(check('Bearer key-two')).toBe(true);
    expect(check(undefined)).toBe(false);
    expect(check('Bearer key-three')).toBe(false);
    // Prefixes and extensions of a key are not the key.
    expect(check('Bearer key-on')).toBe(false);
    expect(check('Bearer key-one1')).toBe(false);
    expect(check('key-one')).toBe(false);
  });

  it('ignores empty keys instead of letting an empty token in', () => {
    const check = createApiKeyCheck(['', 'real']);
    expect(check('Bearer real')).toBe(true);
    expect(check('Bearer ')).toBe(false);
    expect(check(undefined)).toBe(false);
  });
});
