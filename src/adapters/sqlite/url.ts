import { isAbsolute, resolve } from 'node:path';
import { EngineError } from '../../core/errors.js';

/** Where a sqlite:// URL points: a database file, or a private throw-away database (`:memory:`). */
export type SqliteLocation = { kind: 'file'; path: string } | { kind: 'memory' };

const PREFIX = 'sqlite://';

/**
 * Parses `sqlite://./rel.db`, `sqlite://rel.db` (relative to `cwd`), `sqlite:///abs/path.db` and `sqlite://:memory:`.
 * Query strings are rejected: this adapter takes no options, and silently ignoring one would surprise.
 *
 * @example parseSqliteUrl('sqlite:///var/lib/kindred.db') // { kind: 'file', path: '/var/lib/kindred.db' }
 */
export function parseSqliteUrl(url: string, cwd: string = process.cwd()): SqliteLocation {
  if (!url.toLowerCase().startsWith(PREFIX)) {
    throw new EngineError('INVALID_CONFIG', 'a SQLite store URL starts with sqlite://', { path: '/store/url' });
  }
  const rest = url.slice(PREFIX.length);
  if (rest === ':memory:') return { kind: 'memory' };
  if (rest === '') throw new EngineError('INVALID_CONFIG', 'sqlite:// needs a file path or :memory:', { path: '/store/url' });
  if (rest.includes('?') || rest.includes('#')) {
    throw new EngineError('INVALID_CONFIG', 'sqlite:// URLs take no query options', { path: '/store/url' });
  }
  const path = decodeURIComponent(rest);
  return { kind: 'file', path: isAbsolute(path) ? path : resolve(cwd, path) };
}
