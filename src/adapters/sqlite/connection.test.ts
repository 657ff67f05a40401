import { describe, expect, it } from 'vitest';
import { EngineError } from '../../core/errors.js';
import { guard } from './connection.js';

const sqliteError = (code: string) => Object.assign(new Error('database is locked'), { code });

describe('guard', () => {
  it('passes results and non-SQLite errors through untouched', () => {
    expect(guard(() => 42)).toBe(42);
    const own = new EngineError('INVALID_INPUT', 'x');
    expect(() => guard(() => { throw own; })).toThrow(own);
  });

  it('turns a busy database into CONFLICT and other SQLite failures into INTERNAL', () => {
    expect(() => guard(() => { throw sqliteError('SQLITE_BUSY'); })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => guard(() => { throw sqliteError('SQLITE_BUSY_SNAPSHOT'); })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => guard(() => { throw sqliteError('SQLITE_CORRUPT'); }))
      .toThrow(expect.objectContaining({ code: 'INTERNAL', details: expect.objectContaining({ sqlite: 'SQLITE_CORRUPT' }) }));
  });
});
