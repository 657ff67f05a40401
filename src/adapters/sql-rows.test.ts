import { describe, expect, it } from 'vitest';
import { iso } from './sql-rows.js';

describe('iso (the stored epoch-ms times as ISO text)', () => {
  it('writes what Date#toISOString writes, across days, years, the epoch and the ends of the date range', () => {
    const times = [
      0, -1, 1, 999, 1000, 59_999, 3_599_999, 86_399_999, 86_400_000, -86_400_000, 874_724_710_000, 893_286_638_123,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10_000, 0, 1), Date.UTC(-1, 0, 1, 12),
      8.64e15, -8.64e15, 1.5,
    ];
    for (let i = 0; i < 500; i++) times.push(Math.round(Math.sin(i + 1) * 2e12 + 1e12)); // spread, repeatable
    for (const ms of times) expect(iso(ms)).toBe(new Date(ms).toISOString());
  });

  it('throws on an invalid time, as toISOString does', () => {
    expect(() => iso(Number.NaN)).toThrow(RangeError);
  });
});
