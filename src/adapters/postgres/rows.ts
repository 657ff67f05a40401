/** Conversions between records and PostgreSQL rows (JSON text columns, epoch-ms bigint times, float32 bytea). */
import type { Attributes, Item, StoredEvent, User } from '../../core/types.js';
import { canonicalScenario } from '../../storage/scenario-record.js';
import type { ArtifactInfo, ArtifactRecord, EmbeddingRecord, Scenario } from '../../storage/store.js';

export interface ItemRow {
  id: string;
  title: string | null;
  text: string | null;
  categories: string | null;
  tags: string | null;
  attributes: string | null;
  created_at: number | null;
  expires_at: number | null;
  hidden: boolean | null;
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
  sentiment: number | null;
}

export interface ArtifactRow {
  name: string;
  version: number;
  created_at: number;
  meta: string;
  blob: Buffer;
  checksum: string | null;
}

export type ArtifactInfoRow = Omit<ArtifactRow, 'blob'> & { bytes: number };

export interface EmbeddingRow {
  provider: string;
  item_id: string;
  text_hash: string;
  dims: number;
  vector: Buffer;
}

export const ITEM_COLUMNS = 'id, title, text, categories, tags, attributes, created_at, expires_at, hidden';
export const USER_COLUMNS = 'id, attributes, consent';
export const EVENT_COLUMNS = 'id, user_id, item_id, type, value, ts, text, sentiment';

const iso = (ms: number): string => new Date(ms).toISOString();
const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const msOf = (t: string | undefined): number | null => (t === undefined ? null : Date.parse(t)); // canonical ISO only

/** Column arrays of canonical items, in ITEM_COLUMNS order (bound as arrays and unnested: one statement per batch). */
export function itemColumns(items: Item[]): unknown[][] {
  return [
    items.map((it) => it.id), items.map((it) => it.title ?? null), items.map((it) => it.text ?? null),
    items.map((it) => json(it.categories)), items.map((it) => json(it.tags)), items.map((it) => json(it.attributes)),
    items.map((it) => msOf(it.createdAt)), items.map((it) => msOf(it.expiresAt)), items.map((it) => it.hidden ?? null),
  ];
}

export function itemFromRow(r: ItemRow): Item {
  const it: Item = { id: r.id };
  if (r.title !== null) it.title = r.title;
  if (r.text !== null) it.text = r.text;
  if (r.categories !== null) it.categories = JSON.parse(r.categories) as string[];
  if (r.tags !== null) it.tags = JSON.parse(r.tags) as string[];
  if (r.attributes !== null) it.attributes = JSON.parse(r.attributes) as Attributes;
  if (r.created_at !== null) it.createdAt = iso(r.created_at);
  if (r.expires_at !== null) it.expiresAt = iso(r.expires_at);
  if (r.hidden !== null) it.hidden = r.hidden;
  return it;
}

/** Column arrays of canonical users, in USER_COLUMNS order. */
export function userColumns(users: User[]): unknown[][] {
  return [users.map((u) => u.id), users.map((u) => json(u.attributes)), users.map((u) => json(u.consent))];
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

/** Float32 values as bytes (platform byte order, little-endian on every supported CPU), as SQLite stores them. */
export function vectorBytes(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function embeddingFromRow(r: EmbeddingRow): EmbeddingRecord {
  // Copying into a fresh buffer guarantees the 4-byte alignment Float32Array needs.
  const vector = new Float32Array(Uint8Array.from(r.vector).buffer);
  return { itemId: r.item_id, provider: r.provider, textHash: r.text_hash, vector };
}

/** A scenarios row back as a record (its body is the JSON of the scenario without its name). */
export function scenarioFromRow(row: { name: string; body: string }): Scenario {
  return canonicalScenario({ ...(JSON.parse(row.body) as Omit<Scenario, 'name'>), name: row.name });
}
