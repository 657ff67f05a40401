import { describe, expect, it } from 'vitest';
import { bucketCount, bucketStart, finestBucket, nextBucketStart } from './time-buckets.js';

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

describe('time buckets (UTC)', () => {
  it('starts days at midnight, weeks on Monday and months on the 1st, before 1970 too', () => {
    expect(iso(bucketStart(ms('2024-03-03T23:59:59.999Z'), 'week'))).toBe('2024-02-26T00:00:00.000Z'); // a Sunday
    expect(iso(bucketStart(ms('2024-03-04T00:00:00Z'), 'week'))).toBe('2024-03-04T00:00:00.000Z'); // a Monday
    expect(iso(bucketStart(ms('2024-02-29T13:00:00Z'), 'month'))).toBe('2024-02-01T00:00:00.000Z');
    expect(iso(bucketStart(ms('1969-12-31T23:59:59.500Z'), 'day'))).toBe('1969-12-31T00:00:00.000Z');
    expect(iso(nextBucketStart(ms('2024-01-01T00:00:00Z'), 'month'))).toBe('2024-02-01T00:00:00.000Z');
    expect(iso(nextBucketStart(ms('2024-12-01T00:00:00Z'), 'month'))).toBe('2025-01-01T00:00:00.000Z');
  });

  it('counts buckets over a span, both ends included', () => {
    expect(bucketCount(ms('2024-01-31T23:00:00Z'), ms('2024-02-01T01:00:00Z'), 'day')).toBe(2);
    expect(bucketCount(ms('2024-02-25T00:00:00Z'), ms('2024-03-04T00:00:00Z'), 'week')).toBe(3);
    expect(bucketCount(ms('2023-11-15T00:00:00Z'), ms('2024-02-01T00:00:00Z'), 'month')).toBe(4);
  });

  it('picks the finest bucket giving at most the limit: ml-100k (Sep 1997 .. Apr 1998) by day', () => {
    expect(finestBucket(ms('1997-09-20T03:05:10Z'), ms('1998-04-22T23:10:38Z'), 400)).toBe('day'); // 215 days
    expect(finestBucket(ms('2020-01-01T00:00:00Z'), ms('2021-03-01T00:00:00Z'), 400)).toBe('week'); // 426 days, 62 weeks
    expect(finestBucket(ms('2000-01-01T00:00:00Z'), ms('2010-01-01T00:00:00Z'), 400)).toBe('month'); // 523 weeks
    expect(finestBucket(ms('1900-01-01T00:00:00Z'), ms('2000-01-01T00:00:00Z'), 400)).toBe('month'); // even months are more
  });
});
