/**
 * Column mapping of the generic CSV format: which CSV column fills which record field, and how text becomes a
 * field value. Columns of items and users that fill no field become attributes.
 */
import { EngineError } from '../../core/errors.js';
import { splitList, toAttributeValue, toNumber, toTimestamp } from '../convert.js';
import type { RecordKind } from '../validate.js';

type FieldType = 'string' | 'list' | 'number' | 'time' | 'boolean';

/** Fields a CSV column can fill, per kind, with how the text is converted. */
export const CSV_FIELDS: Record<RecordKind, Record<string, FieldType>> = {
  item: { id: 'string', title: 'string', text: 'string', categories: 'list', tags: 'list', createdAt: 'time', expiresAt: 'time', hidden: 'boolean' },
  user: { id: 'string' },
  event: { id: 'string', userId: 'string', itemId: 'string', type: 'string', value: 'number', timestamp: 'time', text: 'string' },
};

const REQUIRED: Record<RecordKind, string[]> = { item: ['id'], user: ['id'], event: ['userId', 'itemId', 'timestamp', 'type'] };
const ALIASES: Record<string, string> = { user: 'userId', item: 'itemId' };
const KINDS: RecordKind[] = ['item', 'user', 'event'];

/**
 * Parses "--map user=uid,item=movie,value=stars" into { userId: 'uid', itemId: 'movie', value: 'stars' }. A key may
 * be prefixed by its kind ("item.id=movieId") to apply to one kind only; "user"/"item" are short for userId/itemId.
 *
 * @example parseColumnMap('user=userId,item=movieId,value=rating')
 */
export function parseColumnMap(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) {
      throw new EngineError('INVALID_INPUT', `column map entry "${part.trim()}" is not field=column`);
    }
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  checkColumnMap(out);
  return out;
}

function normaliseKey(key: string): { kind?: RecordKind; field: string } {
  const dot = key.indexOf('.');
  const kind = dot === -1 ? undefined : key.slice(0, dot);
  const field = dot === -1 ? key : key.slice(dot + 1);
  return { kind: kind as RecordKind | undefined, field: ALIASES[field] ?? field };
}

/** Throws INVALID_INPUT for a key that names no field of any kind. */
export function checkColumnMap(map: Record<string, string>): void {
  for (const key of Object.keys(map)) {
    const { kind, field } = normaliseKey(key);
    const ok = kind === undefined ? KINDS.some((k) => field in CSV_FIELDS[k]) : KINDS.includes(kind) && field in CSV_FIELDS[kind];
    if (!ok) {
      const known = KINDS.map((k) => `${k}: ${Object.keys(CSV_FIELDS[k]).join(', ')}`).join('; ');
      throw new EngineError('INVALID_INPUT', `column map: "${key}" is not a field (fields are ${known}; "user"/"item" mean userId/itemId)`);
    }
  }
}

export interface ResolvedColumns {
  /** field -> column index */
  fields: Map<string, number>;
  /** Columns that fill no field: attributes of items/users, ignored for events. */
  rest: number[];
  /** Map keys that were used for this file (so the caller can report keys used by no file). */
  usedKeys: string[];
}

/**
 * Column index of each field of `kind` in this header: a kind-prefixed mapping, else an unprefixed one whose column
 * exists in this file, else a column named like the field. Returns a problem text when a required field is missing.
 */
export function resolveColumns(
  kind: RecordKind, header: string[], map: Record<string, string>, constantType: boolean,
): ResolvedColumns | string {
  const fields = new Map<string, number>();
  const usedKeys: string[] = [];
  for (const field of Object.keys(CSV_FIELDS[kind])) {
    let column: string | undefined;
    for (const [key, col] of Object.entries(map)) {
      const k = normaliseKey(key);
      if (k.field !== field || (k.kind !== undefined && k.kind !== kind)) continue;
      // A bare "id=" means the item or user id; an event id column must be mapped as "event.id=".
      if (kind === 'event' && field === 'id' && k.kind === undefined) continue;
      if (k.kind === kind) {
        if (!header.includes(col)) return `no column "${col}" for ${kind}.${field}`;
        column = col;
        usedKeys.push(key);
        break;
      }
      if (header.includes(col)) {
        column = col;
        usedKeys.push(key);
      }
    }
    column ??= header.includes(field) ? field : undefined;
    if (column !== undefined) fields.set(field, header.indexOf(column));
  }
  for (const field of REQUIRED[kind]) {
    if (fields.has(field) || (field === 'type' && constantType)) continue;
    const hint = field === 'type' ? ' or set eventType' : '';
    return `no column for ${field} (map one with ${field}=<column>${hint})`;
  }
  const taken = new Set(fields.values());
  const rest = header.map((_, i) => i).filter((i) => !taken.has(i) && header[i] !== '');
  return { fields, rest, usedKeys };
}

function convert(type: FieldType, text: string): unknown {
  switch (type) {
    case 'string': return text;
    case 'list': return splitList(text);
    case 'number': return toNumber(text);
    case 'time': return toTimestamp(text);
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === '1' || t === 'yes') return true;
      if (t === 'false' || t === '0' || t === 'no') return false;
      return text; // left as text: validation reports "must be boolean"
    }
  }
}

/**
 * One record of `kind` from a CSV row. Empty cells leave optional fields out; required fields stay (as "") so
 * validation names them.
 */
export function rowToRecord(
  kind: RecordKind, fields: string[], cols: ResolvedColumns, header: string[], eventType: string | undefined,
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const types = CSV_FIELDS[kind];
  for (const [field, i] of cols.fields) {
    const text = fields[i];
    if (text.trim() === '' && !REQUIRED[kind].includes(field)) continue;
    const value = convert(types[field], text);
    if (value !== undefined) record[field] = value;
  }
  if (kind === 'event' && (record.type === undefined || record.type === '') && eventType !== undefined) record.type = eventType;
  if (kind !== 'event' && cols.rest.length > 0) {
    const attributes: Record<string, unknown> = {};
    for (const i of cols.rest) if (fields[i].trim() !== '') attributes[header[i]] = toAttributeValue(fields[i]);
    if (Object.keys(attributes).length > 0) record.attributes = attributes;
  }
  return record;
}
