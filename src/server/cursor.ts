import { EngineError } from '../core/errors.js';

// Versioned so the format can change without old cursors being misread.
const PREFIX = 'k1:';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The opaque `next` cursor of a listing page, made from the last id of the page.
 *
 * @example encodeCursor('film-9') // 'azE6ZmlsbS05'
 */
export function encodeCursor(after: string): string {
  return Buffer.from(`${PREFIX}${after}`, 'utf8').toString('base64url');
}

/**
 * The id a cursor continues after. Throws EngineError INVALID_INPUT (naming the `cursor` parameter, not its value)
 * for anything encodeCursor did not make.
 *
 * @example decodeCursor(encodeCursor('film-9')) // 'film-9'
 */
export function decodeCursor(cursor: string): string {
  const text = BASE64URL.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  // Re-encoding must give the same text back: rejects padding games and bytes that are not UTF-8.
  if (!text.startsWith(PREFIX) || text.length === PREFIX.length || encodeCursor(text.slice(PREFIX.length)) !== cursor) {
    throw new EngineError('INVALID_INPUT', 'querystring /cursor is not a cursor this server issued (pass `next` from the previous page)', {
      in: 'querystring', path: '/cursor', field: 'cursor',
    });
  }
  return text.slice(PREFIX.length);
}

/**
 * The `next` cursor of a newest-first event page: the last event's time and id (GET /v1/users/{id}/events).
 *
 * @example decodeEventCursor(encodeEventCursor({ timestamp: '2024-01-01T00:00:00.000Z', id: 'e1' })).id // 'e1'
 */
export function encodeEventCursor(at: { timestamp: string; id: string }): string {
  return encodeCursor(`${at.timestamp} ${at.id}`);
}

/** The event position a cursor continues before; INVALID_INPUT (naming `cursor`) for anything encodeEventCursor did not make. */
export function decodeEventCursor(cursor: string): { timestamp: string; id: string } {
  const text = decodeCursor(cursor);
  const space = text.indexOf(' ');
  const timestamp = text.slice(0, space);
  if (space <= 0 || space === text.length - 1 || Number.isNaN(Date.parse(timestamp))) {
    throw new EngineError('INVALID_INPUT', 'querystring /cursor is not a cursor this server issued (pass `next` from the previous page)', {
      in: 'querystring', path: '/cursor', field: 'cursor',
    });
  }
  return { timestamp, id: text.slice(space + 1) };
}
