/** SQLite's part of the row conversions (`hidden` as 0/1, blobs as Uint8Array, writes bound as parameters); the rest is ../sql-rows.ts. */
import type { Item, User } from '../../core/types.js';
import { itemFromRowWith, json, msOf, type ItemRowOf } from '../sql-rows.js';

export {
  artifactFromRow, artifactInfoFromRow, carePreferencesFromRow, embeddingFromRow, EVENT_COLUMNS, eventFromRow, inIdOrder, ITEM_COLUMNS,
  profileFromRow, scenarioFromRow, USER_COLUMNS, userFromRow, vectorBytes,
  type ArtifactInfoRow, type ArtifactRow, type CarePreferencesRow, type EmbeddingRow, type EventRow, type ProfileRow, type ScenarioRow, type UserRow,
} from '../sql-rows.js';

export type ItemRow = ItemRowOf<number>;

/** Bind parameters of a canonical item, in ITEM_COLUMNS order. */
export function itemParams(it: Item): Array<string | number | null> {
  return [
    it.id, it.title ?? null, it.text ?? null, json(it.categories), json(it.tags), json(it.attributes),
    msOf(it.createdAt), msOf(it.expiresAt), it.hidden === undefined ? null : Number(it.hidden),
  ];
}

const hiddenOf = (stored: number): boolean => stored === 1;

export function itemFromRow(r: ItemRow): Item {
  return itemFromRowWith(r, hiddenOf);
}

export function userParams(u: User): Array<string | null> {
  return [u.id, json(u.attributes), json(u.consent)];
}
