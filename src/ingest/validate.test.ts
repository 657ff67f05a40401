import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/errors.js';
import { pointerLabel, validateRecord, validateRecords } from './validate.js';

const event = (over: Record<string, unknown> = {}) => ({
  userId: 'u1', itemId: 'i1', type: 'rating', value: 4, timestamp: '2024-03-01T10:00:00Z', ...over,
});

function thrown(fn: () => void): EngineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}

describe('validateRecord', () => {
  it('accepts valid records of each kind', () => {
    expect(validateRecord('event', event())).toBeUndefined();
    expect(validateRecord('item', { id: 'i1', title: 'T', tags: ['a'], attributes: { year: 1999, x: [1, 'a'] } })).toBeUndefined();
    expect(validateRecord('user', { id: 'u1', consent: { personalisation: false } })).toBeUndefined();
  });

  it('names the missing field', () => {
    expect(validateRecord('event', { userId: 'u', type: 'view', timestamp: '2024-01-01T00:00:00Z' }))
      .toEqual({ pointer: '/itemId', field: 'itemId', message: 'is required' });
  });

  it('names an unknown field', () => {
    expect(validateRecord('item', { id: 'i', colour: 'red' }))
      .toEqual({ pointer: '/colour', field: 'colour', message: 'is not an allowed field' });
  });

  it('points inside arrays and gives the top-level field', () => {
    expect(validateRecord('item', { id: 'i', tags: ['ok', 3] }))
      .toEqual({ pointer: '/tags/1', field: 'tags', message: 'must be string' });
  });

  it('rejects non-finite values, which JSON cannot carry but library callers can', () => {
    for (const value of [NaN, Infinity, -Infinity]) {
      expect(validateRecord('event', event({ value }))?.message).toBe('must be a finite number');
    }
  });

  it('rejects malformed and impossible timestamps', () => {
    expect(validateRecord('event', event({ timestamp: 'yesterday' }))?.message).toBe('must be a date-time');
    expect(validateRecord('event', event({ timestamp: '2024-03-01 10:00:00Z' }))?.field).toBe('timestamp');
    expect(validateRecord('event', event({ timestamp: '2024-03-01T10:00:00' }))?.field).toBe('timestamp');
    expect(validateRecord('event', event({ timestamp: '2023-02-29T10:00:00Z' }))?.field).toBe('timestamp');
    expect(validateRecord('event', event({ timestamp: '2024-04-31T10:00:00Z' }))?.field).toBe('timestamp');
    expect(validateRecord('event', event({ timestamp: '2024-01-01T24:00:00Z' }))?.field).toBe('timestamp');
    expect(validateRecord('item', { id: 'i', createdAt: '2024-13-01T00:00:00Z' })?.field).toBe('createdAt');
    // Leap day, offsets and fractions are fine.
    expect(validateRecord('event', event({ timestamp: '2024-02-29T23:59:59.123+02:00' }))).toBeUndefined();
  });

  it('explains the event type pattern', () => {
    expect(validateRecord('event', event({ type: 'Add To Cart' }))?.message).toMatch(/lower_snake_case/);
  });

  it('rejects non-objects', () => {
    expect(validateRecord('user', 'u1')).toEqual({ pointer: '', field: undefined, message: 'must be object' });
    expect(validateRecord('user', null)?.message).toBe('must be object');
  });
});

describe('validateRecords', () => {
  it('throws INVALID_INPUT naming the row and field, with a JSON pointer', () => {
    const events = Array.from({ length: 20 }, () => event());
    events[17] = event({ timestamp: 'not a time' });
    const e = thrown(() => validateRecords('event', events));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe('events[17].timestamp: must be a date-time');
    expect(e.details).toEqual({ row: 17, path: '/events/17/timestamp', field: 'timestamp' });
  });

  it('reports the first bad row only, and honours pathPrefix and lineOf', () => {
    const e = thrown(() => validateRecords('item', [{ id: 'a' }, { id: '' }, { foo: 1 }], {
      pathPrefix: '/body/items', lineOf: (row) => row + 2,
    }));
    expect(e.message).toBe('body.items[1].id: must NOT have fewer than 1 characters');
    expect(e.details).toEqual({ row: 1, path: '/body/items/1/id', field: 'id', line: 3 });
  });

  it('accepts a valid batch', () => {
    expect(() => validateRecords('event', [event(), event({ value: undefined, type: 'view' })])).not.toThrow();
  });

  it('validates 10k events quickly', () => {
    const events = Array.from({ length: 10_000 }, (_, i) => event({ userId: `u${i}`, timestamp: new Date(1.7e12 + i * 1000).toISOString() }));
    validateRecords('event', events); // compile + warm up
    let best = Infinity;
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      validateRecords('event', events);
      best = Math.min(best, performance.now() - t0);
    }
    // 2-3 ms on a quiet machine; the best of five with a generous bound keeps a busy CI box from failing it.
    expect(best).toBeLessThan(100);
  });
});

describe('pointerLabel', () => {
  it('writes pointers the way people read them', () => {
    expect(pointerLabel('/events/17/timestamp')).toBe('events[17].timestamp');
    expect(pointerLabel('/3/tags/0')).toBe('[3].tags[0]');
    expect(pointerLabel('/items/0/attributes/a~1b')).toBe('items[0].attributes.a/b');
  });
});
