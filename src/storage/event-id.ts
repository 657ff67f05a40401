import * as crypto from 'node:crypto';
import { EngineError } from '../core/errors.js';
import type { Event } from '../core/types.js';

// RFC 3339 date-time (zone required, so the instant never depends on the machine's time zone) or a plain date (UTC).
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}:?\d{2}))?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

function zoneOffsetMs(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2)), minutes = Number(digits.slice(2, 4));
  if (hours > 23 || minutes > 59) return NaN;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

// One-shot crypto.hash (Node >= 20.12) is about twice as fast as createHash for short inputs; imports hash every event.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

function sha256Base64url(data: string): string {
  return oneShotHash ? oneShotHash('sha256', data, 'base64url') : crypto.createHash('sha256').update(data).digest('base64url');
}

/** True when `value` already has the exact shape of Date#toISOString (validity is checked separately). */
export function hasCanonicalShape(value: string): boolean {
  return value.length === 24 && value[10] === 'T' && value[19] === '.' && value[23] === 'Z';
}

/**
 * Milliseconds since the epoch of an ISO-8601 time, or NaN when it is not a valid one. Stricter than Date.parse:
 * "2020-02-30" and zone-less date-times are rejected; fractions beyond milliseconds are truncated.
 *
 * @example parseIsoMillis('2020-01-01T01:00:00+01:00') // 1577836800000
 */
export function parseIsoMillis(value: unknown): number {
  if (typeof value !== 'string') return NaN;
  const m = ISO_TIME.exec(value);
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear undoes that.
  const fixed = year < 100 ? new Date(utc).setUTCFullYear(year) : utc;
  return fixed - zoneOffsetMs(zone);
}

/**
 * The canonical form of a timestamp (UTC, millisecond precision), or undefined when it is not valid ISO-8601.
 *
 * @example normaliseTimestamp('2020-01-01T00:00:00Z') // '2020-01-01T00:00:00.000Z'
 */
export function normaliseTimestamp(value: unknown): string | undefined {
  const ms = parseIsoMillis(value);
  if (!Number.isFinite(ms)) return undefined;
  return hasCanonicalShape(value as string) ? (value as string) : new Date(ms).toISOString();
}

/**
 * The id an event is stored under: the client's id when given, else a deterministic hash of its content
 * (sha256, base64url, 22 chars), so re-importing the same file creates no duplicates.
 * Throws EngineError INVALID_INPUT when the timestamp is not valid ISO-8601.
 *
 * @example eventId({ userId: 'u1', itemId: 'i1', type: 'view', timestamp: '2020-01-01T00:00:00Z' })
 */
export function eventId(e: Event): string {
  if (typeof e.id === 'string' && e.id.length > 0) return e.id;
  const timestamp = normaliseTimestamp(e.timestamp);
  if (timestamp === undefined) throw new EngineError('INVALID_INPUT', 'event timestamp is not a valid ISO-8601 time', { path: '/timestamp' });
  return contentEventId(e, timestamp);
}

/**
 * What makes two events the same occurrence, as text: the fields a content id is derived from.
 *
 * @example eventContent({ userId: 'u1', itemId: 'i1', type: 'view', timestamp: 't' }, '2020-01-01T00:00:00Z')
 */
export function eventContent(e: Event, normalisedTimestamp: string): string {
  return JSON.stringify([e.userId, e.itemId, e.type, normalisedTimestamp, e.value ?? null, e.text ?? null]);
}

/** Hash of an event's content given its already normalised timestamp (hot path of imports). */
export function contentEventId(e: Event, normalisedTimestamp: string): string {
  return sha256Base64url(eventContent(e, normalisedTimestamp)).slice(0, 22);
}
