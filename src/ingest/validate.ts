/**
 * Validation of items, users and events against the JSON schemas in src/core/schemas.ts. Used by the engine, the
 * HTTP server and the importer, so it is generic (no file or request knowledge) and fast: the validators are compiled
 * once, on first use, and a batch stops at its first bad record.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { EngineError } from '../core/errors.js';
import { eventSchema, itemSchema, userSchema } from '../core/schemas.js';
import { parseIsoMillis } from '../storage/event-id.js';

export type RecordKind = 'item' | 'user' | 'event';

/** Why one record is invalid: a JSON pointer relative to the record, the field name and a short message. */
export interface RecordError {
  /** JSON pointer inside the record, e.g. "/timestamp" ("" for the record itself). */
  pointer: string;
  /** Top-level field at fault, e.g. "timestamp" (undefined when the record as a whole is wrong). */
  field?: string;
  /** e.g. "must be a date-time". */
  message: string;
}

export interface ValidateRecordsOptions {
  /** JSON pointer of the array holding the records; default "/items", "/users" or "/events". */
  pathPrefix?: string;
  /** Maps a zero-based row to a one-based source line (file imports); the line goes into the error details. */
  lineOf?: (row: number) => number;
}

// ajv-formats is CommonJS; under NodeNext its default export is the module object on some toolchains.
type AddFormats = (ajv: Ajv, opts: { mode: 'fast' | 'full' }) => Ajv;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

let validators: Record<RecordKind, ValidateFunction> | undefined;

function compiled(): Record<RecordKind, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv({ strict: true, allErrors: false, allowUnionTypes: true });
  // 'fast' formats are one regex each (the 'full' date-time check costs ~1 µs per call, 6x the rest of an event);
  // the calendar checks it skips (Feb 30, hour 24) are done after the schema, in validateRecord.
  addFormats(ajv, { mode: 'fast' });
  validators = {
    item: ajv.compile(itemSchema),
    user: ajv.compile(userSchema),
    event: ajv.compile(eventSchema),
  };
  return validators;
}

const TIME_FIELDS: Record<RecordKind, readonly string[]> = {
  item: ['createdAt', 'expiresAt'],
  user: [],
  event: ['timestamp'],
};

function describeAjvError(e: ErrorObject): RecordError {
  let pointer = e.instancePath;
  let message = e.message ?? 'is invalid';
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') {
    pointer = `${pointer}/${String(params.missingProperty)}`;
    message = 'is required';
  } else if (e.keyword === 'additionalProperties') {
    pointer = `${pointer}/${String(params.additionalProperty)}`;
    message = 'is not an allowed field';
  } else if (e.keyword === 'format') {
    message = `must be a ${String(params.format)}`;
  } else if (e.keyword === 'type') {
    message = `must be ${Array.isArray(params.type) ? params.type.join(' or ') : String(params.type)}`;
  } else if (e.keyword === 'pattern' && pointer === '/type') {
    message = 'must be lower_snake_case (a-z, 0-9, _), starting with a letter';
  }
  const field = pointer.split('/')[1];
  return { pointer, field: field === '' ? undefined : unescapePointer(field), message };
}

function unescapePointer(token: string | undefined): string | undefined {
  return token === undefined ? undefined : token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Checks one record; returns why it is invalid, or undefined when it is valid. Besides the schema it rejects
 * non-finite `value`s and timestamps that are not real instants (Feb 30, hour 24).
 *
 * @example validateRecord('event', { userId: 'u', itemId: 'i', type: 'view', timestamp: 'x' }) // { field: 'timestamp', ... }
 */
export function validateRecord(kind: RecordKind, record: unknown): RecordError | undefined {
  const validate = compiled()[kind];
  if (kind === 'event' && typeof record === 'object' && record !== null) {
    const value = (record as { value?: unknown }).value;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      return { pointer: '/value', field: 'value', message: 'must be a finite number' };
    }
  }
  if (!validate(record)) {
    const first = validate.errors?.[0];
    return first ? describeAjvError(first) : { pointer: '', message: 'is invalid' };
  }
  const rec = record as Record<string, unknown>;
  for (const f of TIME_FIELDS[kind]) {
    const v = rec[f];
    // The same strict reading the stores use (no Feb 30, no hour 24), so a record valid here is storable.
    if (typeof v === 'string' && !Number.isFinite(parseIsoMillis(v))) {
      return { pointer: `/${f}`, field: f, message: 'must be a valid date-time (no such day or hour)' };
    }
  }
  return undefined;
}

/** "/events/17/timestamp" -> "events[17].timestamp" (a JSON pointer shown the way people write it). */
export function pointerLabel(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const token = unescapePointer(raw) ?? '';
    out += /^\d+$/.test(token) ? `[${token}]` : out === '' ? token : `.${token}`;
  }
  return out;
}

/**
 * Validates a batch; throws EngineError('INVALID_INPUT') for the first bad record, with a message naming the row
 * and field (`events[17].timestamp: must be a date-time`) and details { row, path, field, line? }.
 *
 * @example validateRecords('event', body.events, { pathPrefix: '/events' })
 */
export function validateRecords(kind: RecordKind, records: unknown[], opts: ValidateRecordsOptions = {}): void {
  const prefix = opts.pathPrefix ?? `/${kind}s`;
  for (let row = 0; row < records.length; row++) {
    const err = validateRecord(kind, records[row]);
    if (!err) continue;
    const path = `${prefix}/${row}${err.pointer}`;
    const details: Record<string, unknown> = { row, path };
    if (err.field !== undefined) details.field = err.field;
    if (opts.lineOf) details.line = opts.lineOf(row);
    throw new EngineError('INVALID_INPUT', `${pointerLabel(path)}: ${err.message}`, details);
  }
}

/**
 * Rejects events whose type config `events.types` does not know (unless `allowUnknownTypes`), with INVALID_INPUT naming
 * the row and field, before anything is written.
 *
 * @example checkEventTypes(events, config.events)
 */
export function checkEventTypes(events: ReadonlyArray<{ type: string }>, types: { types: Record<string, unknown>; allowUnknownTypes: boolean }): void {
  if (types.allowUnknownTypes) return;
  events.forEach((e, row) => {
    // Own keys only: `constructor` (a valid type name) would otherwise find Object.prototype's and pass.
    if (!Object.hasOwn(types.types, e.type)) {
      throw new EngineError('INVALID_INPUT', `events[${row}].type is not a known event type (known: ${Object.keys(types.types).join(', ')})`, {
        row, path: `/events/${row}/type`, field: 'type',
      });
    }
  });
}
