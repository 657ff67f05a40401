import { describe, expect, it } from 'vitest';
import { dayMonthYearToIso, mergeTags, normaliseTag, splitList, toAttributeValue, toNumber, toTimestamp, unixSecondsToIso, yearFromTitle } from './convert.js';

describe('text conversions', () => {
  it('reads unix seconds and milliseconds', () => {
    expect(unixSecondsToIso('964982703')).toBe('2000-07-30T18:45:03.000Z');
    expect(unixSecondsToIso('')).toBeUndefined();
    expect(unixSecondsToIso('abc')).toBeUndefined();
    expect(unixSecondsToIso(1e20)).toBeUndefined();
    expect(toTimestamp('964982703')).toBe('2000-07-30T18:45:03.000Z');
    expect(toTimestamp('964982703123')).toBe('2000-07-30T18:45:03.123Z');
    expect(toTimestamp(' 2024-01-01T00:00:00Z ')).toBe('2024-01-01T00:00:00Z');
    expect(toTimestamp('')).toBeUndefined();
  });

  it('reads numbers, lists and attribute values', () => {
    expect(toNumber(' 4.5 ')).toBe(4.5);
    expect(toNumber('')).toBeUndefined();
    expect(toNumber('four')).toBeNaN();
    expect(splitList('Action| Adventure||Sci-Fi ')).toEqual(['Action', 'Adventure', 'Sci-Fi']);
    expect(toAttributeValue('42')).toBe(42);
    expect(toAttributeValue('02139')).toBe('02139'); // zip codes keep their leading zero
    expect(toAttributeValue('true')).toBe(true);
    expect(toAttributeValue(' writer ')).toBe('writer');
  });

  it('reads MovieLens dates and title years', () => {
    expect(dayMonthYearToIso('01-Jan-1995')).toBe('1995-01-01T00:00:00.000Z');
    expect(dayMonthYearToIso('29-Aug-1997')).toBe('1997-08-29T00:00:00.000Z');
    expect(dayMonthYearToIso('31-Feb-1997')).toBeUndefined();
    expect(dayMonthYearToIso('')).toBeUndefined();
    expect(yearFromTitle('Toy Story (1995)')).toBe(1995);
    expect(yearFromTitle('Cosmos (1980– )')).toBe(1980);
    expect(yearFromTitle('unknown')).toBeUndefined();
  });

  it('normalises and merges tags', () => {
    expect(normaliseTag('  Highly   Quotable ')).toBe('highly quotable');
    expect(normaliseTag('   ')).toBeUndefined();
    expect(normaliseTag('x'.repeat(257))).toBeUndefined();
    expect(mergeTags(['Sci-Fi', 'space'], ['space ', 'Alien'])).toEqual(['sci-fi', 'space', 'alien']);
    expect(mergeTags(Array.from({ length: 300 }, (_, i) => `t${i}`))).toHaveLength(256);
  });
});
