import { timingSafeEqual } from 'node:crypto';
import { keyDigest, parseApiKeys, type ApiKeyScope } from '../config/api-keys.js';

/** Who sent a request: nobody known (no or unknown key), or the configured key at `index` with its scope. */
export type Caller = { kind: 'anonymous' } | { kind: 'key'; index: number; scope: ApiKeyScope };

/** Finds the caller of a request from its `Authorization` header (`undefined`: none was sent). */
export type CallerLookup = (authorization: string | undefined) => Caller;

/**
 * The token of a `Bearer <token>` header (scheme case-insensitive), or undefined for any other header.
 *
 * @example bearerToken('Bearer k1') // 'k1'
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  return match?.[1];
}

/**
 * Builds the caller lookup over server.apiKeys (see parseApiKeys; throws INVALID_CONFIG on a bad entry). Only the
 * keys' SHA-256 digests are held; the presented token is hashed and compared with every digest in constant time,
 * none skipped, so timing reveals neither which key nor how much of it matched (equal-length digests also hide the
 * key's length).
 *
 * @example createCallerLookup(['read:k1'])('Bearer k1') // { kind: 'key', index: 0, scope: 'read' }
 */
export function createCallerLookup(entries: readonly string[]): CallerLookup {
  const keys = parseApiKeys(entries);
  return (authorization) => {
    const token = bearerToken(authorization);
    const presented = keyDigest(token ?? '');
    let found: Caller = { kind: 'anonymous' };
    for (const k of keys) {
      if (timingSafeEqual(k.digest, presented) && token !== undefined && found.kind === 'anonymous') found = { kind: 'key', index: k.index, scope: k.scope };
    }
    return found;
  };
}

/** True when keys are configured, so every non-public route needs one. */
export function authEnabled(entries: readonly string[]): boolean {
  return entries.length > 0;
}
