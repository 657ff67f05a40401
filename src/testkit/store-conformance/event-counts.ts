import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/types.js';
import { expectEngineError, type StoreHandle } from './fixtures.js';

const at = (userId: string, itemId: string, timestamp: string, type = 'view'): Event => ({ userId, itemId, type, timestamp });

/**
 * Seven events checked by hand: 2024-02-25 is a Sunday, 2024-02-26 a Monday, 2024 a leap year; one event of 1969
 * (before the epoch) floors to its own day, week and month.
 */
const EVENTS: Event[] = [
  at('u1', 'a', '1969-12-31T23:59:59.500Z'),
  at('u1', 'a', '2024-02-25T23:59:59.999Z'),
  at('u2', 'a', '2024-02-26T00:00:00.000Z', 'click'),
  at('u2', 'b', '2024-02-26T10:00:00.000Z'),
  at('u3', 'a', '2024-02-29T12:00:00.000Z', 'impression'),
  at('u3', 'b', '2024-03-01T00:00:00.000Z'),
  at('u3', 'b', '2024-03-01T08:00:00.000Z'),
];

/** eventSpan and eventCounts: counts per UTC calendar bucket and type, grouped by the store. */
export function describeEventCounts(store: StoreHandle): void {
  describe('eventSpan / eventCounts', () => {
    it('answers nothing for an empty store or an item without events', async () => {
      expect(await store().eventSpan()).toBeUndefined();
      expect(await store().eventCounts({ bucket: 'day' })).toEqual([]);
      await store().addEvents(EVENTS);
      expect(await store().eventSpan({ itemId: 'zzz' })).toBeUndefined();
      expect(await store().eventCounts({ bucket: 'month', itemId: 'zzz' })).toEqual([]);
    });

    it('spans the oldest to the newest event, of the store or of one item', async () => {
      await store().addEvents(EVENTS);
      expect(await store().eventSpan()).toEqual({ first: '1969-12-31T23:59:59.500Z', last: '2024-03-01T08:00:00.000Z', events: 7 });
      expect(await store().eventSpan({ itemId: 'b' })).toEqual({ first: '2024-02-26T10:00:00.000Z', last: '2024-03-01T08:00:00.000Z', events: 3 });
    });

    it('counts per day, by type, in start then type order', async () => {
      await store().addEvents(EVENTS);
      expect(await store().eventCounts({ bucket: 'day' })).toEqual([
        { start: '1969-12-31T00:00:00.000Z', type: 'view', count: 1 },
        { start: '2024-02-25T00:00:00.000Z', type: 'view', count: 1 },
        { start: '2024-02-26T00:00:00.000Z', type: 'click', count: 1 },
        { start: '2024-02-26T00:00:00.000Z', type: 'view', count: 1 },
        { start: '2024-02-29T00:00:00.000Z', type: 'impression', count: 1 },
        { start: '2024-03-01T00:00:00.000Z', type: 'view', count: 2 },
      ]);
    });

    it('starts weeks on Monday and months on the first, in UTC', async () => {
      await store().addEvents(EVENTS);
      expect(await store().eventCounts({ bucket: 'week' })).toEqual([
        { start: '1969-12-29T00:00:00.000Z', type: 'view', count: 1 },
        { start: '2024-02-19T00:00:00.000Z', type: 'view', count: 1 },
        { start: '2024-02-26T00:00:00.000Z', type: 'click', count: 1 },
        { start: '2024-02-26T00:00:00.000Z', type: 'impression', count: 1 },
        { start: '2024-02-26T00:00:00.000Z', type: 'view', count: 3 },
      ]);
      expect(await store().eventCounts({ bucket: 'month' })).toEqual([
        { start: '1969-12-01T00:00:00.000Z', type: 'view', count: 1 },
        { start: '2024-02-01T00:00:00.000Z', type: 'click', count: 1 },
        { start: '2024-02-01T00:00:00.000Z', type: 'impression', count: 1 },
        { start: '2024-02-01T00:00:00.000Z', type: 'view', count: 2 },
        { start: '2024-03-01T00:00:00.000Z', type: 'view', count: 2 },
      ]);
    });

    it("counts one item's events only", async () => {
      await store().addEvents(EVENTS);
      expect(await store().eventCounts({ bucket: 'month', itemId: 'a' })).toEqual([
        { start: '1969-12-01T00:00:00.000Z', type: 'view', count: 1 },
        { start: '2024-02-01T00:00:00.000Z', type: 'click', count: 1 },
        { start: '2024-02-01T00:00:00.000Z', type: 'impression', count: 1 },
        { start: '2024-02-01T00:00:00.000Z', type: 'view', count: 1 },
      ]);
    });

    it('refuses an unknown bucket or an empty item id (INVALID_INPUT naming the option)', async () => {
      expect(await expectEngineError(store().eventCounts({ bucket: 'year' as 'day' }), 'INVALID_INPUT')).toMatchObject({ path: '/bucket' });
      expect(await expectEngineError(store().eventSpan({ itemId: '' }), 'INVALID_INPUT')).toMatchObject({ path: '/itemId' });
    });
  });

  describe('history before a position (newest-first paging)', () => {
    it('pages a history by (timestamp, id) without repeats or gaps, ties included', async () => {
      const same = '2024-02-26T00:00:00.000Z';
      await store().addEvents([{ ...at('p', 'a', same), id: 'e1' }, { ...at('p', 'b', same), id: 'e2' }, { ...at('p', 'c', '2024-02-25T00:00:00.000Z'), id: 'e0' }, { ...at('p', 'd', same), id: 'e3' }]);
      const first = await store().history('p', { limit: 2 });
      expect(first.map((e) => e.id)).toEqual(['e3', 'e2']);
      const last = first[first.length - 1];
      const second = await store().history('p', { limit: 2, before: { timestamp: last.timestamp, id: last.id } });
      expect(second.map((e) => e.id)).toEqual(['e1', 'e0']);
      expect(await store().history('p', { before: { timestamp: '2024-02-25T00:00:00.000Z', id: 'e0' } })).toEqual([]);
      expect((await store().history('p', { types: ['view'], before: { timestamp: same, id: 'e2' } })).map((e) => e.id)).toEqual(['e1', 'e0']);
    });

    it('refuses a position without a valid time or id', async () => {
      expect(await expectEngineError(store().history('p', { before: { timestamp: 'soon', id: 'e1' } }), 'INVALID_INPUT')).toMatchObject({ path: '/before/timestamp' });
      expect(await expectEngineError(store().history('p', { before: { timestamp: '2024-01-01T00:00:00Z', id: '' } }), 'INVALID_INPUT')).toMatchObject({ path: '/before/id' });
    });
  });
}
