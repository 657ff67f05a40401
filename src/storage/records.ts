/**
 * The last line of defence shared by every Store adapter: checks what would corrupt the store (empty ids, invalid
 * times, non-finite numbers) and returns canonical copies, so all adapters store and return identical records.
 * Request-shape validation (lengths, patterns) stays with the JSON Schemas in core/schemas.ts.
 */
import { EngineError } from '../core/errors.js';
import type { AttributeValue, Attributes, Credit, Item, ScoredEvent, StoredEvent, User } from '../core/types.js';
import { contentEventId, hasCanonicalShape, normaliseTimestamp, parseIsoMillis } from './event-id.js';
import type { CachedList, CachedListItem, CacheKey } from './cache.js';
import type { EmbeddingRecord, EventSentiment, HistoryOptions, ScanOptions } from './store.js';

function invalid(message: string, path: string, row?: number): EngineError {
  return new EngineError('INVALID_INPUT', message, row === undefined ? { path } : { path, row });
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

function requireId(v: unknown, path: string, row?: number): string {
  if (!isNonEmptyString(v)) throw invalid('id must be a non-empty string', path, row);
  return v;
}

function optionalTime(v: unknown, path: string, row: number): string | undefined {
  if (v === undefined) return undefined;
  const t = normaliseTimestamp(v);
  if (t === undefined) throw invalid('not a valid ISO-8601 time (a date-time needs a zone)', path, row);
  return t;
}

function stringList(v: unknown, path: string, row: number): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw invalid('must be an array of strings', path, row);
  return [...v];
}

function isAttributeValue(v: unknown): v is AttributeValue {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function attributesCopy(v: unknown, path: string, row: number): Attributes | undefined {
  if (v === undefined) return undefined;
  if (!isPlainObject(v)) throw invalid('attributes must be an object', path, row);
  const out: Attributes = {};
  for (const [k, a] of Object.entries(v)) {
    let value: AttributeValue | AttributeValue[];
    if (isAttributeValue(a)) value = a;
    else if (Array.isArray(a) && a.every(isAttributeValue)) value = [...a];
    else throw invalid('attribute values must be strings, finite numbers, booleans or null', `${path}/${k}`, row);
    // defineProperty, not assignment: a key named "__proto__" must stay data, never become the prototype.
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Checked canonical copies of items: known fields only, times in UTC ISO with milliseconds.
 *
 * @example canonicalItems([{ id: 'i1', createdAt: '2020-01-01T00:00:00Z' }]) // createdAt '2020-01-01T00:00:00.000Z'
 */
export function canonicalItems(items: Item[]): Item[] {
  if (!Array.isArray(items)) throw invalid('items must be an array', '/items');
  return items.map((it, row) => {
    if (!isPlainObject(it)) throw invalid('item must be an object', `/items/${row}`, row);
    const out: Item = { id: requireId(it.id, `/items/${row}/id`, row) };
    if (it.title !== undefined) {
      if (typeof it.title !== 'string') throw invalid('title must be a string', `/items/${row}/title`, row);
      out.title = it.title;
    }
    if (it.text !== undefined) {
      if (typeof it.text !== 'string') throw invalid('text must be a string', `/items/${row}/text`, row);
      out.text = it.text;
    }
    const categories = stringList(it.categories, `/items/${row}/categories`, row);
    if (categories) out.categories = categories;
    const tags = stringList(it.tags, `/items/${row}/tags`, row);
    if (tags) out.tags = tags;
    const attributes = attributesCopy(it.attributes, `/items/${row}/attributes`, row);
    if (attributes) out.attributes = attributes;
    const createdAt = optionalTime(it.createdAt, `/items/${row}/createdAt`, row);
    if (createdAt) out.createdAt = createdAt;
    const expiresAt = optionalTime(it.expiresAt, `/items/${row}/expiresAt`, row);
    if (expiresAt) out.expiresAt = expiresAt;
    if (it.hidden !== undefined) {
      if (typeof it.hidden !== 'boolean') throw invalid('hidden must be a boolean', `/items/${row}/hidden`, row);
      out.hidden = it.hidden;
    }
    return out;
  });
}

/**
 * Checked canonical copies of users (known fields only).
 *
 * @example canonicalUsers([{ id: 'u1', consent: { personalisation: false } }])
 */
export function canonicalUsers(users: User[]): User[] {
  if (!Array.isArray(users)) throw invalid('users must be an array', '/users');
  return users.map((u, row) => {
    if (!isPlainObject(u)) throw invalid('user must be an object', `/users/${row}`, row);
    const out: User = { id: requireId(u.id, `/users/${row}/id`, row) };
    const attributes = attributesCopy(u.attributes, `/users/${row}/attributes`, row);
    if (attributes) out.attributes = attributes;
    if (u.consent !== undefined) {
      const c: unknown = u.consent;
      if (!isPlainObject(c) || !Object.values(c).every((b) => typeof b === 'boolean')) {
        throw invalid('consent must map names to booleans', `/users/${row}/consent`, row);
      }
      out.consent = { ...(c as Record<string, boolean>) };
    }
    return out;
  });
}

/** A checked event and its time in epoch milliseconds (what adapters index and sort by). */
export interface CheckedEvent {
  event: StoredEvent;
  ms: number;
}

/**
 * Checked events with their stored id, canonical timestamp and epoch ms. Rejects the whole batch (EngineError
 * INVALID_INPUT with path and row) on an empty id, an invalid timestamp or a non-finite value.
 *
 * @example checkedEvents([{ userId: 'u', itemId: 'i', type: 'view', timestamp: '2020-01-01T00:00:00Z' }])[0].ms // 1577836800000
 */
export function checkedEvents(events: ScoredEvent[]): CheckedEvent[] {
  if (!Array.isArray(events)) throw invalid('events must be an array', '/events');
  return events.map((e, row) => {
    if (!isPlainObject(e)) throw invalid('event must be an object', `/events/${row}`, row);
    const userId = requireId(e.userId, `/events/${row}/userId`, row);
    const itemId = requireId(e.itemId, `/events/${row}/itemId`, row);
    if (!isNonEmptyString(e.type)) throw invalid('type must be a non-empty string', `/events/${row}/type`, row);
    const ms = parseIsoMillis(e.timestamp);
    if (!Number.isFinite(ms)) {
      throw invalid('timestamp is not a valid ISO-8601 time (a date-time needs a zone)', `/events/${row}/timestamp`, row);
    }
    if (e.value !== undefined && !(typeof e.value === 'number' && Number.isFinite(e.value))) {
      throw invalid('value must be a finite number', `/events/${row}/value`, row);
    }
    if (e.text !== undefined && typeof e.text !== 'string') throw invalid('text must be a string', `/events/${row}/text`, row);
    if (e.id !== undefined && !isNonEmptyString(e.id)) throw invalid('id must be a non-empty string when given', `/events/${row}/id`, row);
    const timestamp = hasCanonicalShape(e.timestamp) ? e.timestamp : new Date(ms).toISOString();
    const event: StoredEvent = { id: e.id ?? contentEventId(e, timestamp), userId, itemId, type: e.type, timestamp };
    if (e.value !== undefined) event.value = e.value;
    if (e.text !== undefined) event.text = e.text;
    // Derived by the engine (care/sentiment.ts); anything but a score in −1..1 is dropped rather than stored.
    if (typeof e.sentiment === 'number' && e.sentiment >= -1 && e.sentiment <= 1) event.sentiment = e.sentiment;
    return { event, ms };
  });
}

/**
 * The entries of a setEventSentiments call that can be stored: a non-empty id and a score in −1..1 (others are
 * dropped, as the engine never sends them). Throws INVALID_INPUT when `scores` is not a list.
 *
 * @example checkedSentiments([{ id: 'e1', sentiment: 0.5 }, { id: 'e2', sentiment: 3 }]) // [{ id: 'e1', sentiment: 0.5 }]
 */
export function checkedSentiments(scores: readonly EventSentiment[]): EventSentiment[] {
  if (!Array.isArray(scores)) throw invalid('scores must be an array', '/scores');
  return scores.filter((s) => isPlainObject(s) && isNonEmptyString(s.id) && typeof s.sentiment === 'number' && s.sentiment >= -1 && s.sentiment <= 1);
}

/**
 * Checked copies of embedding records: non-empty ids, a non-empty vector of finite numbers.
 *
 * @example canonicalEmbeddings([{ itemId: 'i', provider: 'p', textHash: 'h', vector: new Float32Array([1]) }])
 */
export function canonicalEmbeddings(records: EmbeddingRecord[]): EmbeddingRecord[] {
  if (!Array.isArray(records)) throw invalid('records must be an array', '/embeddings');
  return records.map((r, row) => {
    const base = `/embeddings/${row}`;
    if (!isPlainObject(r)) throw invalid('embedding must be an object', base, row);
    const itemId = requireId(r.itemId, `${base}/itemId`, row);
    const provider = requireId(r.provider, `${base}/provider`, row);
    if (typeof r.textHash !== 'string') throw invalid('textHash must be a string', `${base}/textHash`, row);
    if (!(r.vector instanceof Float32Array) || r.vector.length === 0 || !r.vector.every(Number.isFinite)) {
      throw invalid('vector must be a non-empty Float32Array of finite numbers', `${base}/vector`, row);
    }
    return { itemId, provider, textHash: r.textHash, vector: Float32Array.from(r.vector) };
  });
}

/** A checked copy of a cached item's credits: history item ids with finite weights. */
function cachedCredits(because: unknown, path: string, row: number): Credit[] {
  if (!Array.isArray(because)) throw invalid('because must be an array', path, row);
  return because.map((b: { itemId?: unknown; weight?: unknown } | null, j) => {
    if (!isNonEmptyString(b?.itemId)) throw invalid('itemId must be a non-empty string', `${path}/${j}/itemId`, row);
    if (!(typeof b.weight === 'number' && Number.isFinite(b.weight))) throw invalid('weight must be a finite number', `${path}/${j}/weight`, row);
    return { itemId: b.itemId, weight: b.weight };
  });
}

/**
 * A checked copy of a cached list: item ids non-empty, scores finite, createdAt a valid time.
 *
 * @example canonicalCachedList({ items: [{ itemId: 'i', score: 1 }], createdAt: '2020-01-01T00:00:00Z' })
 */
export function canonicalCachedList(list: CachedList): CachedList {
  if (!isPlainObject(list) || !Array.isArray(list.items)) throw invalid('cached list must have an items array', '/items');
  const items = list.items.map((x, i) => {
    if (!isNonEmptyString(x?.itemId)) throw invalid('itemId must be a non-empty string', `/items/${i}/itemId`, i);
    if (!(typeof x.score === 'number' && Number.isFinite(x.score))) throw invalid('score must be a finite number', `/items/${i}/score`, i);
    if (x.via !== undefined && !isNonEmptyString(x.via)) throw invalid('via must be a non-empty string', `/items/${i}/via`, i);
    const item: CachedListItem = { itemId: x.itemId, score: x.score };
    if (x.via !== undefined) item.via = x.via;
    if (x.because !== undefined) item.because = cachedCredits(x.because, `/items/${i}/because`, i);
    if (x.variety === true) item.variety = true;
    if (x.lessKnown === true) item.lessKnown = true;
    return item;
  });
  const createdAt = normaliseTimestamp(list.createdAt);
  if (createdAt === undefined) throw invalid('createdAt is not a valid ISO-8601 time', '/createdAt');
  return { items, createdAt };
}

/** A non-negative integer option (limits), or undefined when absent. */
export function countOption(v: unknown, path: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw invalid('must be a non-negative integer', path);
  return v as number;
}

/** A positive integer batch size, `fallback` when absent. */
export function batchSizeOption(v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || (v as number) < 1) throw invalid('batchSize must be a positive integer', '/batchSize');
  return v as number;
}

/**
 * Checked options of one page of a listing (listItems, listUsers): a positive limit, `after` a string when given.
 *
 * @example pageOption({ after: 'film-9', limit: 100 }) // { after: 'film-9', limit: 100 }
 */
export function pageOption(v: { after?: unknown; limit?: unknown }): { after: string; limit: number } {
  if (!isPlainObject(v)) throw invalid('page options must be an object', '/');
  if (!Number.isSafeInteger(v.limit) || (v.limit as number) < 1) throw invalid('limit must be a positive integer', '/limit');
  if (v.after !== undefined && typeof v.after !== 'string') throw invalid('after must be a string', '/after');
  // Every id is non-empty, so '' sorts before all of them.
  return { after: v.after ?? '', limit: v.limit as number };
}

/** An ISO time option as epoch milliseconds, or undefined when absent. */
export function timeOption(v: unknown, path: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = parseIsoMillis(v);
  if (!Number.isFinite(ms)) throw invalid('not a valid ISO-8601 time', path);
  return ms;
}

/** A list of event types to filter by, or undefined when absent (an empty list matches nothing). */
export function typesOption(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((t) => typeof t === 'string')) throw invalid('types must be an array of strings', '/types');
  return v;
}

/** Events per batch of scanEvents/scanItems/scanUsers when the caller does not say. */
export const DEFAULT_SCAN_BATCH = 5000;

/**
 * Checked history() options (limit, types, since in epoch ms), checked in that order by every adapter.
 *
 * @example historyOptions({ limit: 50 }) // { limit: 50, types: undefined, since: undefined }
 */
export function historyOptions(opts: HistoryOptions): { limit?: number; types?: string[]; since?: number; before?: { ms: number; id: string } } {
  const limit = countOption(opts.limit, '/limit');
  const types = typesOption(opts.types);
  const since = timeOption(opts.since, '/since');
  if (opts.before === undefined) return { limit, types, since };
  const ms = timeOption(opts.before.timestamp ?? '', '/before/timestamp') as number; // '' is refused
  if (!isNonEmptyString(opts.before.id)) throw invalid('must be a non-empty string', '/before/id');
  return { limit, types, since, before: { ms, id: opts.before.id } };
}

/**
 * Checked scanEvents() options (batch size, types, since and until in epoch ms), checked in that order by every adapter.
 *
 * @example scanOptions({ until: '2024-01-01T00:00:00Z' }).size // 5000 (DEFAULT_SCAN_BATCH)
 */
export function scanOptions(opts: ScanOptions): { size: number; types?: string[]; since?: number; until?: number } {
  const size = batchSizeOption(opts.batchSize, DEFAULT_SCAN_BATCH);
  const types = typesOption(opts.types);
  const since = timeOption(opts.since, '/since');
  const until = timeOption(opts.until, '/until');
  return { size, types, since, until };
}

/** Epoch milliseconds of a valid Date. */
export function dateOption(v: unknown, path: string): number {
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw invalid('must be a valid Date', path);
  return v.getTime();
}

/** Artifact names are non-empty strings; versions positive integers. */
export function artifactNameOption(v: unknown): string {
  return requireId(v, '/name');
}

export function artifactVersionOption(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || (v as number) < 1) throw invalid('version must be a positive integer', '/version');
  return v as number;
}

/**
 * A JSON-safe deep copy of artifact metadata (what every adapter would return after a JSON round trip).
 *
 * @example artifactMetaOption({ factors: 64 }) // { factors: 64 }
 */
export function artifactMetaOption(v: unknown): Record<string, unknown> {
  if (v === undefined) return {};
  if (!isPlainObject(v)) throw invalid('meta must be an object', '/meta');
  try {
    return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
  } catch {
    throw invalid('meta must be JSON-serialisable', '/meta'); // cycles, BigInt
  }
}

/**
 * A checked cache key: `list` non-empty, `subject` and `digest` strings ('' allowed for global lists).
 *
 * @example canonicalCacheKey({ list: 'popular', subject: '', digest: 'abc' })
 */
export function canonicalCacheKey(key: CacheKey): CacheKey {
  if (!isPlainObject(key)) throw invalid('cache key must be an object', '/key');
  if (!isNonEmptyString(key.list)) throw invalid('list must be a non-empty string', '/key/list');
  if (typeof key.subject !== 'string') throw invalid('subject must be a string', '/key/subject');
  if (typeof key.digest !== 'string') throw invalid('digest must be a string', '/key/digest');
  return { list: key.list, subject: key.subject, digest: key.digest };
}

/** The given fields of a cache-invalidation match, checked to be strings. */
export function cacheMatchOption(match: Partial<CacheKey>): Partial<CacheKey> {
  if (!isPlainObject(match)) throw invalid('match must be an object', '/match');
  const out: Partial<CacheKey> = {};
  for (const field of ['list', 'subject', 'digest'] as const) {
    const v = match[field];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw invalid(`${field} must be a string`, `/match/${field}`);
    out[field] = v;
  }
  return out;
}

/** A positive, finite time-to-live in seconds, or undefined (no expiry). */
export function ttlOption(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw invalid('ttlSeconds must be a positive number', '/ttlSeconds');
  return v;
}
