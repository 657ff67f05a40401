import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Event } from '../core/types.js';
import { eventId, normaliseTimestamp, parseIsoMillis } from './event-id.js';

const base: Event = { userId: 'u1', itemId: 'i1', type: 'rating', value: 4, timestamp: '2020-01-01T00:00:00Z' };

describe('eventId', () => {
  it('is the first 22 base64url chars of sha256 over the canonical content', () => {
    const content = JSON.stringify(['u1', 'i1', 'rating', '2020-01-01T00:00:00.000Z', 4, null]);
    const expected = createHash('sha256').update(content).digest('base64url').slice(0, 22);
    expect(eventId(base)).toBe(expected);
    expect(eventId(base)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('is the same for the same instant however it is written', () => {
    const same = ['2020-01-01T00:00:00.000Z', '2020-01-01T01:00:00+01:00', '2019-12-31T19:00:00-0500', '2020-01-01', '2020-01-01t00:00:00z'];
    for (const timestamp of same) expect(eventId({ ...base, timestamp }), timestamp).toBe(eventId(base));
  });

  it('changes when any part of the content changes', () => {
    const variants: Event[] = [
      { ...base, userId: 'u2' }, { ...base, itemId: 'i2' }, { ...base, type: 'view' }, { ...base, value: 5 },
      { ...base, value: undefined }, { ...base, text: 'great' }, { ...base, timestamp: '2020-01-01T00:00:00.001Z' },
    ];
    const ids = new Set([eventId(base), ...variants.map(eventId)]);
    expect(ids.size).toBe(variants.length + 1);
  });

  it('returns a client-given id unchanged', () => {
    expect(eventId({ ...base, id: 'client-42' })).toBe('client-42');
  });

  it('throws INVALID_INPUT for an invalid timestamp', () => {
    expect(() => eventId({ ...base, timestamp: 'soon' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('parseIsoMillis and normaliseTimestamp', () => {
  it('parses RFC 3339 date-times with any offset, and plain dates as UTC midnight', () => {
    expect(parseIsoMillis('2020-01-01T01:00:00+01:00')).toBe(Date.UTC(2020, 0, 1));
    expect(parseIsoMillis('2020-01-01T00:00:00-00:30')).toBe(Date.UTC(2020, 0, 1, 0, 30));
    expect(parseIsoMillis('2020-01-01 12:34Z')).toBe(Date.UTC(2020, 0, 1, 12, 34));
    expect(parseIsoMillis('2020-02-29')).toBe(Date.UTC(2020, 1, 29));
    expect(parseIsoMillis('0050-06-01T00:00:00Z')).toBe(new Date('0050-06-01T00:00:00Z').getTime());
  });

  it('truncates fractions beyond milliseconds', () => {
    expect(normaliseTimestamp('2020-01-01T00:00:00.123999Z')).toBe('2020-01-01T00:00:00.123Z');
    expect(normaliseTimestamp('2020-01-01T00:00:00.5Z')).toBe('2020-01-01T00:00:00.500Z');
  });

  it('rejects what Date.parse would guess at', () => {
    const bad = ['2023-02-29', '2020-13-01', '2020-01-32T00:00:00Z', '2020-01-01T24:00:00Z', '2020-01-01T00:60:00Z',
      '2020-01-01T00:00:00', '2020-01-01T00:00:00+24:00', 'Jan 1 2020', '1577836800000', '', '2020-1-1'];
    for (const s of bad) expect(parseIsoMillis(s), s).toBeNaN();
    expect(parseIsoMillis(1577836800000)).toBeNaN();
    expect(normaliseTimestamp('2020-02-30')).toBeUndefined();
  });
});
