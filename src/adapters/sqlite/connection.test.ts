import { describe, expect, it } from 'vitest';
import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { guard } from './connection.js';

const SQLITE_TEXT = 'database disk image is malformed (table events, row 17)';
const sqliteError = (code: string) => Object.assign(new Error(SQLITE_TEXT), { code });
const thrown = (code: string): EngineError => {
  try {
    guard(() => { throw sqliteError(code); });
  } catch (e) {
    return e as EngineError;
  }
  throw new Error('guard did not throw');
};

describe('guard', () => {
  it('passes results and non-SQLite errors through untouched', () => {
    expect(guard(() => 42)).toBe(42);
    const own = new EngineError('INVALID_INPUT', 'x');
    expect(() => guard(() => { throw own; })).toThrow(own);
  });

  it('maps SQLite failures to stable codes of the catalogue', () => {
    const cases: Array<[string, string, number]> = [
      ['SQLITE_BUSY', 'CONFLICT', 409],
      ['SQLITE_BUSY_SNAPSHOT', 'CONFLICT', 409],
      ['SQLITE_CORRUPT', 'STORE_CORRUPT', 500],
      ['SQLITE_CORRUPT_INDEX', 'STORE_CORRUPT', 500],
      ['SQLITE_NOTADB', 'STORE_CORRUPT', 500],
      ['SQLITE_IOERR_WRITE', 'STORE_UNAVAILABLE', 503],
      ['SQLITE_READONLY_DBMOVED', 'STORE_UNAVAILABLE', 503],
      ['SQLITE_FULL', 'STORE_UNAVAILABLE', 503],
      ['SQLITE_CANTOPEN', 'STORE_UNAVAILABLE', 503],
      ['SQLITE_MISMATCH', 'INTERNAL', 500],
    ];
    for (const [sqlite, code, status] of cases) {
      const e = thrown(sqlite);
      expect({ sqlite, code: e.code, status: e.status, details: e.details }).toEqual({ sqlite, code, status, details: { sqlite } });
    }
  });

  it("never carries SQLite's own message into the error, and logs it instead", () => {
    const logged: unknown[] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (_msg, fields) => logged.push(fields) };
    let e: unknown;
    try {
      guard(() => { throw sqliteError('SQLITE_CORRUPT'); }, logger);
    } catch (err) {
      e = err;
    }
    expect(JSON.stringify(e)).not.toContain('malformed');
    expect((e as Error).message).not.toContain('malformed');
    expect(logged).toEqual([{ sqlite: 'SQLITE_CORRUPT', reason: SQLITE_TEXT }]);
  });
});
