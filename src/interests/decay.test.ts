import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_TYPES } from '../config/schema.js';
import type { StoredEvent } from '../core/types.js';
import { decayedItems, decayFactor, latestEventTime } from './decay.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const event = (id: string, itemId: string, type: string, day: number, value?: number): StoredEvent => ({
  id, userId: 'u', itemId, type, timestamp: new Date(T0 + day * DAY).toISOString(), ...(value !== undefined ? { value } : {}),
});

describe('interest decay, hand-computed', () => {
  it('halves an event\'s weight every half-life, and never decays with half-life 0', () => {
    expect(decayFactor(30, 30)).toBe(0.5);
    expect(decayFactor(60, 30)).toBe(0.25);
    expect(decayFactor(0, 7)).toBe(1);
    expect(decayFactor(1000, 0)).toBe(1);
  });

  it('weighs each event by its type weight × 2^(−age/halfLife), ages counted from the latest event', () => {
    const history = [
      event('e1', 'a', 'view', 0), // weight 1, age 20 days: 1 × 0.25
      event('e2', 'a', 'purchase', 10), // weight 5, age 10 days: 5 × 0.5
      event('e3', 'b', 'rating', 20, 4), // weight 5 × 4/5 = 4, age 0
      event('e4', 'c', 'dislike', 20), // negative feedback: not interest
      event('e5', 'd', 'impression', 20), // shown, not chosen
    ];
    const reference = latestEventTime(history) ?? 0;
    expect(reference).toBe(T0 + 20 * DAY);
    const long = decayedItems(history, DEFAULT_EVENT_TYPES, reference, { halfLifeDays: 10 });
    expect(long.events).toBe(3);
    expect([...long.weights]).toEqual([['b', 4], ['a', 2.75]]);
  });

  it('reads only the newest `window` positive events for the short term', () => {
    const history = [event('e1', 'a', 'view', 0), event('e2', 'a', 'purchase', 10), event('e3', 'b', 'rating', 20, 4)];
    const short = decayedItems([...history].reverse(), DEFAULT_EVENT_TYPES, T0 + 20 * DAY, { halfLifeDays: 10, window: 2 });
    expect(short.events).toBe(2);
    expect(Object.fromEntries(short.weights)).toEqual({ b: 4, a: 2.5 });
  });
});
