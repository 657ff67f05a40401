/**
 * Row shapes and record <-> row conversions the SQL adapters share (sqlite/ and postgres/ store the same columns:
 * JSON text, epoch-ms times, float32 bytes). What differs per driver (how `hidden` is stored, the byte type, how
 * writes are bound) stays in each adapter's rows.ts.
 */
import type { Attributes, Item, StoredEvent, User } from '../core/types.js';
import type { CachedList } from '../storage/cache.js';
import { canonicalScenario } from '../storage/scenario-record.js';
import type { ArtifactInfo, ArtifactRecord, CarePreferencesRecord, EmbeddingRecord, ProfileRecord, Scenario } from '../storage/store.js';

/** An items row; `Hidden` is how the driver stores the flag (boolean in PostgreSQL, 0/1 in SQLite). */
export interface ItemRowOf<Hidden> {
  id: string;
  title: string | null;
  text: string | null;
  categories: string | null;
  tags: string | null;
  attributes: string | null;
  created_at: number | null;
  expires_at: number | null;
  hidden: Hidden | null;
}

export interface UserRow {
  id: string;
  attributes: string | null;
  consent: string | null;
}

export interface EventRow {
  id: string;
  user_id: string;
  item_id: string;
  type: string;
  value: number | null;
  ts: number;
  text: string | null;
  /** The text's score; NULL without text, without signal, or for events stored before the column existed. */
  sentiment: number | null;
}

/** An artifacts row; each driver narrows `blob` to the byte type it returns. */
export interface ArtifactRow {
  name: string;
  version: number;
  created_at: number;
  meta: string;
  blob: Uint8Array;
  /** sha256 hex of the blob; NULL for versions stored before checksums. */
  checksum: string | null;
}

export type ArtifactInfoRow = Omit<ArtifactRow, 'blob'> & { bytes: number };

/** An embeddings row; each driver narrows `vector` to the byte type it returns. */
export interface EmbeddingRow {
  provider: string;
  item_id: string;
  text_hash: string;
  dims: number;
  vector: Uint8Array;
}

export interface ScenarioRow {
  name: string;
  body: string;
}

export interface ProfileRow {
  user_id: string;
  state: string;
}

export interface CarePreferencesRow {
  user_id: string;
  body: string;
}

/** A cache_lists row as the store:// caches read it (items as JSON text, expires_at in epoch ms or NULL for never). */
export interface CacheListRow {
  items: string;
  created_at: string;
  expires_at: number | null;
}

/** The store:// caches sweep expired rows on every this-many puts, so lists nobody reads again do not pile up. */
export const CACHE_SWEEP_EVERY_PUTS = 1000;

export const ITEM_COLUMNS = 'id, title, text, categories, tags, attributes, created_at, expires_at, hidden';
export const USER_COLUMNS = 'id, attributes, consent';
export const EVENT_COLUMNS = 'id, user_id, item_id, type, value, ts, text, sentiment';

const DAY_MS = 86_400_000;
/** "YYYY-MM-DDT" of recent days by day number: events and items share few days, and the date part is the slow one. */
const dayPrefixes = new Map<number, string>();

/** The character codes of one ISO time being written (iso() runs synchronously, so one buffer serves every call). */
const isoCodes: number[] = new Array<number>(24).fill(0);
const DIGIT_0 = 48;

/** Writes n as `width` decimal digits into isoCodes from `at`. */
function putDigits(at: number, n: number, width: number): void {
  for (let i = at + width - 1; i >= at; i--) {
    isoCodes[i] = DIGIT_0 + (n % 10);
    n = Math.floor(n / 10);
  }
}

/**
 * new Date(ms).toISOString(), about twice as fast: a request's history read converts hundreds of times, and
 * toISOString was a visible share of a cached request. The date part comes from toISOString once per day. The string
 * is made flat from its character codes: a template literal made a chain of seven string pieces per time, and the
 * read cache's 200,000 events kept them all for the garbage collector to mark.
 *
 * @example iso(0) // '1970-01-01T00:00:00.000Z'
 */
export function iso(ms: number): string {
  if (!Number.isSafeInteger(ms)) return new Date(ms).toISOString(); // fractions and the invalid: Date's own rules
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const date = new Date(day * DAY_MS).toISOString();
    prefix = date.slice(0, date.indexOf('T') + 1);
    if (dayPrefixes.size >= 4096) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  if (prefix.length !== 11) return new Date(ms).toISOString(); // years outside 0000..9999 are written longer
  for (let i = 0; i < 11; i++) isoCodes[i] = prefix.charCodeAt(i);
  putDigits(11, h, 2);
  isoCodes[13] = 58; // ':'
  putDigits(14, m, 2);
  isoCodes[16] = 58;
  putDigits(17, s, 2);
  isoCodes[19] = 46; // '.'
  putDigits(20, rest - s * 1000, 3);
  isoCodes[23] = 90; // 'Z'
  return String.fromCharCode.apply(null, isoCodes);
}

/** A JSON text column's value (NULL for an absent field). */
export const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
/** An epoch-ms column's value of a canonical ISO time (NULL for an absent field). */
export const msOf = (t: string | undefined): number | null => (t === undefined ? null : Date.parse(t)); // canonical ISO only

/**
 * An items row back as a record; `hiddenOf` reads the driver's stored flag.
 *
 * @example itemFromRowWith({ id: 'i1', hidden: 1, ...nulls }, (h) => h === 1) // { id: 'i1', hidden: true }
 */
export function itemFromRowWith<Hidden>(r: ItemRowOf<Hidden>, hiddenOf: (stored: Hidden) => boolean): Item {
  const it: Item = { id: r.id };
  if (r.title !== null) it.title = r.title;
  if (r.text !== null) it.text = r.text;
  if (r.categories !== null) it.categories = JSON.parse(r.categories) as string[];
  if (r.tags !== null) it.tags = JSON.parse(r.tags) as string[];
  if (r.attributes !== null) it.attributes = JSON.parse(r.attributes) as Attributes;
  if (r.created_at !== null) it.createdAt = iso(r.created_at);
  if (r.expires_at !== null) it.expiresAt = iso(r.expires_at);
  if (r.hidden !== null) it.hidden = hiddenOf(r.hidden);
  return it;
}

export function userFromRow(r: UserRow): User {
  const u: User = { id: r.id };
  if (r.attributes !== null) u.attributes = JSON.parse(r.attributes) as Attributes;
  if (r.consent !== null) u.consent = JSON.parse(r.consent) as Record<string, boolean>;
  return u;
}

export function eventFromRow(r: EventRow): StoredEvent {
  const e: StoredEvent = { id: r.id, userId: r.user_id, itemId: r.item_id, type: r.type, timestamp: iso(r.ts) };
  if (r.value !== null) e.value = r.value;
  if (r.text !== null) e.text = r.text;
  if (r.sentiment !== null) e.sentiment = r.sentiment;
  return e;
}

export function artifactFromRow(r: ArtifactRow): ArtifactRecord {
  return {
    name: r.name,
    version: r.version,
    createdAt: iso(r.created_at),
    meta: JSON.parse(r.meta) as Record<string, unknown>,
    blob: Uint8Array.from(r.blob), // a plain Uint8Array, not the driver's Buffer
    ...(r.checksum === null ? {} : { checksum: r.checksum }),
  };
}

export function artifactInfoFromRow(r: ArtifactInfoRow): ArtifactInfo {
  return { name: r.name, version: r.version, createdAt: iso(r.created_at), meta: JSON.parse(r.meta) as Record<string, unknown>, bytes: r.bytes, ...(r.checksum === null ? {} : { checksum: r.checksum }) };
}

/** Float32 values as bytes (platform byte order, little-endian on every supported CPU), as both adapters store them. */
export function vectorBytes(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function embeddingFromRow(r: EmbeddingRow): EmbeddingRecord {
  // Copying into a fresh buffer guarantees the 4-byte alignment Float32Array needs.
  const vector = new Float32Array(Uint8Array.from(r.vector).buffer);
  return { itemId: r.item_id, provider: r.provider, textHash: r.text_hash, vector };
}

/**
 * A scenarios row back as a record (its body is the JSON of the scenario without its name).
 *
 * @example scenarioFromRow({ name: 'home', body: '{"count":20}' }) // { name: 'home', count: 20 }
 */
export function scenarioFromRow(row: ScenarioRow): Scenario {
  return canonicalScenario({ ...(JSON.parse(row.body) as Omit<Scenario, 'name'>), name: row.name });
}

export function profileFromRow(row: ProfileRow): ProfileRecord {
  return { userId: row.user_id, state: JSON.parse(row.state) as Record<string, unknown> };
}

export function carePreferencesFromRow(row: CarePreferencesRow): CarePreferencesRecord {
  return { userId: row.user_id, preferences: JSON.parse(row.body) as Record<string, number | boolean> };
}

export function cachedListFromRow(row: CacheListRow): CachedList {
  return { items: JSON.parse(row.items) as CachedList['items'], createdAt: row.created_at };
}

/**
 * The rows of `ids` converted, in the order of `ids`, skipping ids without a row (reads by id keep the caller's order).
 *
 * @example inIdOrder(['b', 'a'], new Map([['a', rowA]]), itemFromRow) // [item a]
 */
export function inIdOrder<Row, T>(ids: readonly string[], rows: ReadonlyMap<string, Row>, convert: (row: Row) => T): T[] {
  return ids.flatMap((id) => {
    const row = rows.get(id);
    return row ? [convert(row)] : [];
  });
}
