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
