import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { eventTimeline, itemExposure } from './event-timeline.js';

describe('eventTimeline', () => {
  it('refuses a bucket giving more than 20,000 buckets, and picks months by itself over that span', async () => {
    const store = new MemoryStore();
    await store.addEvents([
      { userId: 'u', itemId: 'a', type: 'view', timestamp: '1950-01-01T00:00:00Z' },
      { userId: 'u', itemId: 'a', type: 'view', timestamp: '2020-01-01T00:00:00Z' },
    ]);
    await expect(eventTimeline(store, { bucket: 'day' })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { path: '/bucket', limit: 20_000 } });
    const auto = await eventTimeline(store, {});
    expect(auto.bucket).toBe('month');
    expect(auto.buckets).toHaveLength(70 * 12 + 1);
    expect(auto.buckets[0]).toEqual({ start: '1950-01-01T00:00:00.000Z', count: 1, byType: { view: 1 } });
    expect(auto.buckets.reduce((n, b) => n + b.count, 0)).toBe(2);
  });

  it('NOT_FOUND for the exposure of an item the store does not hold', async () => {
    await expect(itemExposure(new MemoryStore(), 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
