/** PostgreSQL's part of the row conversions (boolean `hidden`, bytea as Buffer, writes bound as column arrays); the rest is ../sql-rows.ts. */
import type { Item, User } from '../../core/types.js';
import {
  itemFromRowWith, json, msOf, type ArtifactRow as SqlArtifactRow, type EmbeddingRow as SqlEmbeddingRow, type ItemRowOf,
} from '../sql-rows.js';

export {
  artifactFromRow, artifactInfoFromRow, carePreferencesFromRow, embeddingFromRow, EVENT_COLUMNS, eventFromRow, inIdOrder, ITEM_COLUMNS,
  profileFromRow, scenarioFromRow, USER_COLUMNS, userFromRow, vectorBytes,
  type ArtifactInfoRow, type CarePreferencesRow, type EventRow, type ProfileRow, type ScenarioRow, type UserRow,
} from '../sql-rows.js';

export type ItemRow = ItemRowOf<boolean>;
export interface ArtifactRow extends SqlArtifactRow { blob: Buffer }
export interface EmbeddingRow extends SqlEmbeddingRow { vector: Buffer }

/** Column arrays of canonical items, in ITEM_COLUMNS order (bound as arrays and unnested: one statement per batch). */
export function itemColumns(items: Item[]): unknown[][] {
  return [
    items.map((it) => it.id), items.map((it) => it.title ?? null), items.map((it) => it.text ?? null),
    items.map((it) => json(it.categories)), items.map((it) => json(it.tags)), items.map((it) => json(it.attributes)),
    items.map((it) => msOf(it.createdAt)), items.map((it) => msOf(it.expiresAt)), items.map((it) => it.hidden ?? null),
  ];
}

const hiddenOf = (stored: boolean): boolean => stored;

export function itemFromRow(r: ItemRow): Item {
  return itemFromRowWith(r, hiddenOf);
}

/** Column arrays of canonical users, in USER_COLUMNS order. */
export function userColumns(users: User[]): unknown[][] {
  return [users.map((u) => u.id), users.map((u) => json(u.attributes)), users.map((u) => json(u.consent))];
}
