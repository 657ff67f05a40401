/**
 * The impression response token (issue 10: "impressions are recorded ... or a response token the client echoes back"):
 * a recommendation answer carries an opaque token naming the user, the items shown and when; the client posts it back
 * (`POST /v1/impressions` `{ token }`) once the list was shown, and those impressions are recorded. The token is
 * signed (HMAC-SHA256 with a server secret), so a client cannot forge impressions for other users or items, and it
 * expires (config care.impressionTokenHours).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KindredConfig } from '../config/config.js';
import { EngineError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ItemId, UserId } from '../core/types.js';
import type { Store } from '../storage/store.js';
import type { ImpressionList } from './impressions.js';

/** The store artifact holding the generated secret when config care.impressionTokenSecret is empty. */
export const IMPRESSION_SECRET_ARTIFACT = 'impression-token-secret';
const VERSION = 'v1';
/** Tolerated clock skew between servers: a token stamped this far in the future is still accepted. */
const SKEW_MS = 5 * 60_000;

/** What a token says: who was shown which items, and when the answer was made. */
export interface ImpressionTokenPayload {
  userId: UserId;
  itemIds: ItemId[];
  atMs: number;
}

function mac(secret: Uint8Array, body: string): Buffer {
  return createHmac('sha256', secret).update(`kindred-impressions.${body}`).digest();
}

/**
 * A signed token for one shown list: `v1.<payload>.<mac>`, both base64url.
 *
 * @example signImpressionToken(secret, { userId: 'u1', itemIds: ['i1', 'i2'], atMs: Date.now() }) // 'v1.WyJ1MSIs....x3Fq...'
 */
export function signImpressionToken(secret: Uint8Array, p: ImpressionTokenPayload): string {
  const body = `${VERSION}.${Buffer.from(JSON.stringify([p.userId, p.itemIds, p.atMs])).toString('base64url')}`;
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

function forged(): EngineError {
  return new EngineError('INVALID_INPUT', 'token is not an impression token this server signed', { path: '/token', field: 'token' });
}

function isPayload(v: unknown): v is [UserId, ItemId[], number] {
  return Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && v[0].length > 0 && Array.isArray(v[1]) && v[1].length > 0
    && v[1].every((id) => typeof id === 'string' && id.length > 0) && Number.isSafeInteger(v[2]);
}

/**
 * The shown list a token stands for, checked against the secrets (any of them: the stored secret may have been made
 * twice by servers starting at once). INVALID_INPUT (path /token) for a token not signed with them, and for one older
 * than `maxAgeMs` or stamped in the future.
 *
 * @example verifyImpressionToken(token, [secret], Date.now(), 24 * 3_600_000) // { userId: 'u1', itemIds: [...], timestamp: '...' }
 */
export function verifyImpressionToken(token: string, secrets: readonly Uint8Array[], nowMs: number, maxAgeMs: number): ImpressionList {
  if (typeof token !== 'string') throw forged();
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) throw forged();
  const body = `${parts[0]}.${parts[1]}`;
  const sent = Buffer.from(parts[2], 'base64url');
  if (!secrets.some((s) => { const want = mac(s, body); return want.length === sent.length && timingSafeEqual(want, sent); })) throw forged();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw forged();
  }
  if (!isPayload(payload)) throw forged();
  const [userId, itemIds, atMs] = payload;
  if (nowMs - atMs > maxAgeMs || atMs - nowMs > SKEW_MS) {
    throw new EngineError('INVALID_INPUT', 'token is outside its time window: post it within care.impressionTokenHours of the answer', { path: '/token', field: 'token' });
  }
  return { userId, itemIds, timestamp: new Date(atMs).toISOString() };
}

/** The secrets that sign and check tokens. */
export interface ImpressionSecrets {
  /** The secret new tokens are signed with; undefined when none could be read or made (the answer then has no token). */
  signing(): Promise<Uint8Array | undefined>;
  /** Every secret a token may have been signed with. */
  all(): Promise<Uint8Array[]>;
}

/**
 * Config care.impressionTokenSecret when set; else a random 32-byte secret made on first use and kept in the store
 * (the newest version of the artifact signs; all versions check), read once per process.
 *
 * @example const secrets = impressionSecrets({ config, store, logger }); const key = await secrets.signing()
 */
export function impressionSecrets(deps: { config: KindredConfig; store: Store; logger: Logger }): ImpressionSecrets {
  const configured = deps.config.care.impressionTokenSecret;
  if (configured !== '') {
    const key = Buffer.from(configured, 'utf8');
    return { signing: async () => key, all: async () => [key] };
  }
  let signing: Promise<Uint8Array | undefined> | undefined;
  async function stored(): Promise<Uint8Array | undefined> {
    const found = await deps.store.loadArtifact(IMPRESSION_SECRET_ARTIFACT);
    if (found) return found.blob;
    try {
      await deps.store.saveArtifact(IMPRESSION_SECRET_ARTIFACT, randomBytes(32), { purpose: 'signs impression tokens' });
    } catch (err) {
      deps.logger.warn('could not store an impression token secret: answers carry no token', { reason: errorMessage(err) });
      signing = undefined; // try again on a later request
      return undefined;
    }
    return (await deps.store.loadArtifact(IMPRESSION_SECRET_ARTIFACT))?.blob; // the newest, should another server have made one too
  }
  return {
    signing: () => (signing ??= stored()),
    async all() {
      const versions = await deps.store.listArtifacts(IMPRESSION_SECRET_ARTIFACT);
      const records = await Promise.all(versions.map((v) => deps.store.loadArtifact(IMPRESSION_SECRET_ARTIFACT, v.version)));
      return records.flatMap((r) => (r ? [r.blob] : []));
    },
  };
}
