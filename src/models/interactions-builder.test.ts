import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_TYPES } from '../config/schema.js';
import type { Event } from '../core/types.js';
import { fromEvents, InteractionsBuilder } from './interactions-builder.js';

const T0 = Date.UTC(2024, 0, 1);

describe('InteractionsBuilder', () => {
  it('sums weights per cell, keeps the latest time, and sorts columns within each row', () => {
    const b = new InteractionsBuilder();
    b.add('alice', 'b', 1, T0 + 5);
    b.add('alice', 'a', 2, T0 + 1);
    b.add('bob', 'a', 1, T0 + 3);
    b.add('alice', 'b', 3, T0 + 2);
    const data = b.build();
    expect(data.users.ids()).toEqual(['alice', 'bob']);
    expect(data.items.ids()).toEqual(['b', 'a']);
    expect(Array.from(data.matrix.indptr)).toEqual([0, 2, 3]);
    expect(Array.from(data.matrix.rowIndices(0))).toEqual([0, 1]);
    expect(Array.from(data.matrix.rowData(0))).toEqual([4, 2]);
    expect(Array.from(data.times!)).toEqual([T0 + 5, T0 + 1, T0 + 3]);
  });

  it('orders each user\'s sequence by time (ties keep arrival order), repeats kept', () => {
    const b = new InteractionsBuilder({ items: ['x', 'y', 'z'] });
    b.add('u', 'z', 1, T0 + 30);
    b.add('u', 'x', 1, T0 + 10);
    b.add('u', 'y', 1, T0 + 20);
    b.add('u', 'x', 1, T0 + 40);
    b.add('u', 'y', 1, T0 + 40);
    b.add('v', 'z', 1, T0);
    const data = b.build();
    expect(Array.from(data.sequences![0])).toEqual([0, 1, 2, 0, 1]);
    expect(Array.from(data.sequences![1])).toEqual([2]);
  });

  it('indexes pre-seeded catalogue items without events (empty columns)', () => {
    const b = new InteractionsBuilder({ items: ['cold', 'hot'], users: ['nobody'] });
    b.add('somebody', 'hot', 1, T0);
    const data = b.build();
    expect(data.matrix.cols).toBe(2);
    expect(data.matrix.rows).toBe(2);
    expect(data.matrix.rowLength(0)).toBe(0);
    expect(Array.from(data.matrix.rowIndices(1))).toEqual([1]);
    expect(data.sequences!.map((s) => s.length)).toEqual([0, 1]);
  });

  it('rejects non-positive or non-finite weights and times', () => {
    const b = new InteractionsBuilder();
    expect(() => b.add('u', 'i', 0, T0)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => b.add('u', 'i', Number.NaN, T0)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => b.add('u', 'i', 1, Number.NaN)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(b.size).toBe(0);
  });

  it('matches a naive aggregation on 200k random events (growing past its initial capacity)', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const b = new InteractionsBuilder({ capacity: 16 });
    const naive = new Map<string, { w: number; t: number }>();
    for (let e = 0; e < 200_000; e++) {
      const u = `u${random(2000)}`;
      const i = `i${random(3000)}`;
      const w = 1 + random(5);
      const t = T0 + random(1_000_000);
      b.add(u, i, w, t);
      const cell = naive.get(`${u}|${i}`) ?? { w: 0, t: -Infinity };
      naive.set(`${u}|${i}`, { w: cell.w + w, t: Math.max(cell.t, t) });
    }
    const data = b.build();
    expect(data.matrix.nnz).toBe(naive.size);
    for (let u = 0; u < data.matrix.rows; u += 97) {
      const cols = data.matrix.rowIndices(u);
      for (let p = 0; p < cols.length; p++) {
        const cell = naive.get(`${data.users.idAt(u)}|${data.items.idAt(cols[p])}`)!;
        expect(data.matrix.rowData(u)[p]).toBe(cell.w);
        expect(data.times![data.matrix.indptr[u] + p]).toBe(cell.t);
        if (p > 0) expect(cols[p]).toBeGreaterThan(cols[p - 1]);
      }
    }
    expect(data.sequences!.reduce((s, q) => s + q.length, 0)).toBe(200_000);
  });
});

describe('fromEvents', () => {
  const ev = (userId: string, itemId: string, type: string, value?: number, minute = 0): Event => ({
    userId, itemId, type, value, timestamp: new Date(T0 + minute * 60_000).toISOString(),
  });

  it('applies event weights: scaled ratings, skipped negatives and impressions, unknown types only when allowed', () => {
    const events = [
      ev('u', 'a', 'rating', 4, 1), // 5 * 4 / 5 = 4
      ev('u', 'a', 'view', undefined, 2), // + 1
      ev('u', 'b', 'purchase', undefined, 3), // 5
      ev('u', 'c', 'dislike', undefined, 4),
      ev('u', 'd', 'impression', undefined, 5),
      ev('u', 'e', 'bookmark', undefined, 6),
    ];
    const data = fromEvents(events, DEFAULT_EVENT_TYPES, { items: ['a', 'b', 'c', 'd', 'e'] });
    expect(Array.from(data.matrix.rowIndices(0))).toEqual([0, 1]);
    expect(Array.from(data.matrix.rowData(0))).toEqual([5, 5]);
    expect(Array.from(data.times!)).toEqual([T0 + 2 * 60_000, T0 + 3 * 60_000]);
    expect(Array.from(data.sequences![0])).toEqual([0, 0, 1]);
    const lenient = fromEvents(events, DEFAULT_EVENT_TYPES, { allowUnknownTypes: true });
    expect(lenient.items.indexOf('e')).toBeDefined();
  });

  it('rejects events whose timestamp is not a date', () => {
    expect(() => fromEvents([{ userId: 'u', itemId: 'i', type: 'view', timestamp: 'yesterday' }], DEFAULT_EVENT_TYPES))
      .toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
