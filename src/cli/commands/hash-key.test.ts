import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseApiKeys } from '../../config/api-keys.js';
import { main } from '../main.js';

describe('kindred hash-key', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints sha256:<hex> of the key, which server.apiKeys accepts with a scope', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => printed.push(line));
    expect(await main(['hash-key', 'k2'])).toBe(0);
    expect(printed).toEqual([`sha256:${createHash('sha256').update('k2').digest('hex')}`]);
    expect(parseApiKeys([`admin:${printed[0]}`])[0].scope).toBe('admin');
  });

  it('refuses a key with spaces or commas (it could not be listed in KINDRED_API_KEYS)', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => errors.push(line));
    expect(await main(['hash-key', 'a,b'])).toBe(2);
    expect(errors[0]).toMatch(/^kindred: an API key must be/);
  });
});
