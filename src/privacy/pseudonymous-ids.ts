import { createHmac } from 'node:crypto';
import { EngineError } from '../core/errors.js';
import type { UserId } from '../core/types.js';
import type { Engine } from '../engine-types.js';

/** Hex characters kept of the HMAC-SHA256: 128 bits, far beyond any collision among real user counts. */
const PSEUDONYM_CHARS = 32;
/** A shorter key is refused: the pseudonyms are only as strong as the key is hard to guess. */
export const MIN_ID_KEY_LENGTH = 16;

/** Maps an external user id to the pseudonym the store keeps. */
export type UserIdMapper = (id: UserId) => UserId;

/**
 * The pseudonym of a user id: HMAC-SHA256(key, id) in hex, cut to 32 characters. Without the key the raw id cannot be
 * recovered or confirmed by hashing guesses.
 *
 * @example pseudonym('a-long-random-secret-key', 'alice@example.org').length // 32
 */
export function pseudonym(key: string, id: UserId): UserId {
  return createHmac('sha256', key).update(id, 'utf8').digest('hex').slice(0, PSEUDONYM_CHARS);
}

/**
 * The mapper config asks for: undefined when privacy.pseudonymousIds is off; with it on, the key (KINDRED_ID_KEY) must
 * be given and at least 16 characters long, or INVALID_CONFIG.
 *
 * @example const map = userIdMapper(true, process.env.KINDRED_ID_KEY); map?.('alice')
 */
export function userIdMapper(enabled: boolean, key: string | undefined): UserIdMapper | undefined {
  if (!enabled) return undefined;
  if (key === undefined || key.length < MIN_ID_KEY_LENGTH) {
    throw new EngineError('INVALID_CONFIG', `privacy.pseudonymousIds needs a secret key of at least ${MIN_ID_KEY_LENGTH} characters in KINDRED_ID_KEY`, { field: 'KINDRED_ID_KEY' });
  }
  return (id) => pseudonym(key, id);
}

const isPlainObject = (v: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * A copy of an answer with every string equal to a pseudonym in `raw` replaced by the id the caller sent: answers
 * echo the caller's ids. Walks arrays and plain objects only (typed arrays and other instances are kept as they are).
 */
function restoreIds<T>(value: T, raw: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') return (raw.get(value) ?? value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v: unknown) => restoreIds(v, raw)) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = restoreIds(v, raw);
  return out as T;
}

/**
 * The engine with pseudonymous user ids at its boundary: every user id a call carries (users, events, impressions,
 * feedback, requests, profile, preferences, event timeline, export and erase) is replaced by its pseudonym before the engine sees it,
 * so the store, the models, the cache and the logs hold only pseudonyms; answers carry the ids the caller sent.
 * Listings (`listUsers`) answer pseudonyms: they cannot be turned back into ids.
 *
 * @example const engine = pseudonymousEngine(inner, (id) => pseudonym(key, id));
 */
export function pseudonymousEngine(inner: Engine, map: UserIdMapper): Engine {
  /** Runs a call with mapped ids and restores the caller's ids in its answer. */
  async function call<T>(ids: readonly UserId[], run: (mapped: (id: UserId) => UserId) => Promise<T>): Promise<T> {
    const raw = new Map<string, string>();
    const mapped = (id: UserId): UserId => {
      const p = map(id);
      raw.set(p, id);
      return p;
    };
    for (const id of ids) mapped(id);
    return restoreIds(await run(mapped), raw);
  }
  return {
    ...inner,
    upsertUsers: (users) => call([], (m) => inner.upsertUsers(users.map((u) => ({ ...u, id: m(u.id) })))),
    addEvents: (events) => call([], (m) => inner.addEvents(events.map((e) => ({ ...e, userId: m(e.userId) })))),
    recordImpressions: (userId, itemIds, at) => call([userId], (m) => inner.recordImpressions(m(userId), itemIds, at)),
    recordImpressionLists: (lists) => call([], (m) => inner.recordImpressionLists(lists.map((l) => ({ ...l, userId: m(l.userId) })))),
    feedback: (userId, input) => call([userId], (m) => inner.feedback(m(userId), input)),
    listFeedback: (userId) => call([userId], (m) => inner.listFeedback(m(userId))),
    deleteFeedback: (userId, itemId) => call([userId], (m) => inner.deleteFeedback(m(userId), itemId)),
    getUser: (id) => call([id], (m) => inner.getUser(m(id))),
    recommend: (userId, opts) => call([], (m) => inner.recommend(userId === undefined ? undefined : m(userId), opts)),
    profile: (userId) => call([userId], (m) => inner.profile(m(userId))),
    updateProfile: (userId, change) => call([userId], (m) => inner.updateProfile(m(userId), change)),
    why: (userId, itemId, opts) => call([userId], (m) => inner.why(m(userId), itemId, opts)),
    carePreferences: (userId) => call([userId], (m) => inner.carePreferences(m(userId))),
    setCarePreferences: (userId, patch, opts) => call([userId], (m) => inner.setCarePreferences(m(userId), patch, opts)),
    eraseUser: (id) => call([id], (m) => inner.eraseUser(m(id))),
    exportUser: (id) => call([id], (m) => inner.exportUser(m(id))),
    userEvents: (id, opts) => call([id], (m) => inner.userEvents(m(id), opts)),
  };
}
