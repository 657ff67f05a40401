import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../core/types.js';
import { fadedOrder, fatigueFactor, impressionCounts, lastEngagement } from './fatigue.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2024-03-01T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();
const shown = (itemId: string, hours: number): StoredEvent => ({ id: `${itemId}@${hours}`, userId: 'u', itemId, type: 'impression', timestamp: at(hours) });
const settings = { after: 2, decay: 0.5, cap: 4, cooldownHours: 24 };

describe('impressionCounts', () => {
  it('counts impressions per item since the last engagement with it', () => {
    const imps = [shown('a', 5), shown('a', 3), shown('a', 1), shown('b', 4)];
    const counts = impressionCounts(imps, new Map([['a', T0 + 2 * HOUR]]), T0 + 6 * HOUR, 24);
    expect(counts).toEqual(new Map([['a', 2], ['b', 1]]));
  });

  it('an engagement after the last impression resets the item to 0', () => {
    const counts = impressionCounts([shown('a', 3), shown('a', 1)], new Map([['a', T0 + 4 * HOUR]]), T0 + 6 * HOUR, 24);
    expect(counts.has('a')).toBe(false);
  });

  it('an item not shown for the cool-down starts again from 0; without a cool-down it does not', () => {
    const imps = [shown('a', 2), shown('a', 1), shown('b', 20)];
    expect(impressionCounts(imps, new Map(), T0 + 27 * HOUR, 24)).toEqual(new Map([['b', 1]]));
    expect(impressionCounts(imps, new Map(), T0 + 27 * HOUR, 0)).toEqual(new Map([['a', 2], ['b', 1]]));
  });
});

describe('lastEngagement', () => {
  it('keeps the newest accepted event per item', () => {
    const like = (itemId: string, hours: number, type = 'like'): StoredEvent => ({ id: `${type}${hours}`, userId: 'u', itemId, type, timestamp: at(hours) });
    const got = lastEngagement([like('a', 9, 'impression'), like('a', 5), like('a', 2), like('b', 1)], (e) => e.type !== 'impression');
    expect(got).toEqual(new Map([['a', T0 + 5 * HOUR], ['b', T0 + HOUR]]));
  });
});

describe('fatigueFactor', () => {
  it('is 1 below fatigueAfter, decays per impression from it, and is 0 at the cap', () => {
    expect([0, 1, 2, 3, 4, 9].map((n) => fatigueFactor(n, settings))).toEqual([1, 1, 0.5, 0.25, 0, 0]);
  });

  it('never fades with fatigueAfter 0, and has no cap with impressionCap 0', () => {
    expect(fatigueFactor(50, { ...settings, after: 0, cap: 4 })).toBe(0);
    expect(fatigueFactor(3, { ...settings, after: 0 })).toBe(1);
    expect(fatigueFactor(50, { ...settings, cap: 0 })).toBeCloseTo(0.5 ** 49);
  });
});

describe('fadedOrder', () => {
  it('moves faded items down, leaves capped ones out, keeps ties in order', () => {
    expect(fadedOrder([1, 0.75, 0.5, 0.25], [0.4, 1, 1, 1])).toEqual([1, 2, 0, 3]);
    expect(fadedOrder([1, 0.75, 0.5, 0.25], [0.5, 1, 1, 1])).toEqual([1, 0, 2, 3]); // 0.5 ties item 2: fused order
    expect(fadedOrder([1, 0.75, 0.5, 0.25], [0, 1, 0, 1])).toEqual([1, 3]);
  });
});
