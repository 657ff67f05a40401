import { createHash, timingSafeEqual } from 'node:crypto';

/** Checks a request's `Authorization` header against the configured keys; `undefined` header means none was sent. */
export type ApiKeyCheck = (authorization: string | undefined) => boolean;

function digest(value: string): Buffer {
  // Hashing first gives equal-length buffers, so timingSafeEqual never leaks a key's length.
  return createHash('sha256').update(value, 'utf8').digest();
}

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
 * Builds the API-key check. With no keys configured every request passes; otherwise the bearer token must equal one
 * of the keys. Every key is compared in constant time and none is skipped, so timing reveals neither which key nor
 * how much of it matched.
 *
 * @example const ok = createApiKeyCheck(['k1'])('Bearer k1') // true
 */
export function createApiKeyCheck(keys: readonly string[]): ApiKeyCheck {
  const digests = keys.filter((k) => k.length > 0).map(digest);
  if (digests.length === 0) return () => true;
  return (authorization) => {
    const token = bearerToken(authorization);
    const presented = digest(token ?? '');
    let matched = false;
    for (const d of digests) matched = timingSafeEqual(d, presented) || matched;
    return token !== undefined && matched;
  };
}

/** True when the check lets everything through (no keys configured). */
export function authEnabled(keys: readonly string[]): boolean {
  return keys.some((k) => k.length > 0);
}
