import { createHash } from 'node:crypto';
import { EngineError } from '../core/errors.js';

/** What a key may do; each scope includes the ones before it (admin ⊃ write ⊃ read). */
export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** One configured key as the server holds it: never the key itself, only the SHA-256 of it. */
export interface ApiKeySpec {
  scope: ApiKeyScope;
  /** SHA-256 of the key (32 bytes). */
  digest: Buffer;
  /** Position in server.apiKeys: names the key in rate-limit buckets without revealing anything of it. */
  index: number;
}

/** SHA-256 of a key as bytes. */
export function keyDigest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/**
 * The form of a key to put in server.apiKeys instead of the key itself (what `kindred hash-key` prints).
 *
 * @example hashApiKey('k2') // 'sha256:…64 hex digits…'
 */
export function hashApiKey(key: string): string {
  return `sha256:${keyDigest(key).toString('hex')}`;
}

function isScope(word: string): word is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(word);
}

function invalid(index: number, why: string): EngineError {
  // The message names the entry's position, never its text: it is a secret.
  return new EngineError('INVALID_CONFIG', `config server.apiKeys entry ${index + 1} ${why}`, { path: 'server.apiKeys', row: index });
}

/**
 * Parses server.apiKeys. An entry is `[<scope>:]<key>` or `[<scope>:]sha256:<64 hex digits>`, scope one of read,
 * write, admin; an entry without a scope has full access (admin), as every key had before scopes existed. An empty
 * entry, an unknown scope word before a colon (`amdin:k`) or a malformed hash is refused, so a typo can neither turn
 * authentication off nor grant a scope nobody meant.
 *
 * @example parseApiKeys(['read:k1', 'admin:sha256:ab…', 'legacy'])
 */
export function parseApiKeys(entries: readonly string[]): ApiKeySpec[] {
  return entries.map((raw, index) => {
    const entry = raw.trim();
    if (entry === '') throw invalid(index, 'is empty (an empty key would turn authentication off)');
    let scope: ApiKeyScope = 'admin';
    let rest = entry;
    const colon = entry.indexOf(':');
    if (colon >= 0 && entry.slice(0, colon) !== 'sha256') {
      const word = entry.slice(0, colon);
      if (!isScope(word)) throw invalid(index, `has an unknown scope before ':' (scopes: ${API_KEY_SCOPES.join(', ')})`);
      scope = word;
      rest = entry.slice(colon + 1);
    }
    if (rest === '') throw invalid(index, 'has a scope but no key');
    if (rest.startsWith('sha256:')) {
      const hex = rest.slice('sha256:'.length);
      if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw invalid(index, 'is not sha256: followed by 64 hex digits');
      return { scope, digest: Buffer.from(hex, 'hex'), index };
    }
    return { scope, digest: keyDigest(rest), index };
  });
}

/**
 * True when `held` includes `needed` (admin ⊃ write ⊃ read).
 *
 * @example scopeAllows('write', 'read') // true
 */
export function scopeAllows(held: ApiKeyScope, needed: ApiKeyScope): boolean {
  return API_KEY_SCOPES.indexOf(held) >= API_KEY_SCOPES.indexOf(needed);
}
