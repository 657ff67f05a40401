import { describe, expect, it } from 'vitest';
import type { Event, StoredEvent } from '../../core/types.js';
import { eventId } from '../../storage/event-id.js';
import { allEvents, collect, ev, expectEngineError, type StoreHandle } from './fixtures.js';

/** addEvents idempotency and atomicity, history, scanEvents, deleteEvents, purge and erase. */
export function describeEvents(store: StoreHandle): void {
  describe('addEvents', () => {
    it('derives a deterministic id from content, so re-importing the same events adds nothing', async () => {
      const batch = [ev('u1', 'a', 1, { type: 'rating', value: 4 }), ev('u1', 'b', 2)];
      expect(await store().addEvents(batch)).toEqual({ accepted: 2, duplicates: 0 });
      expect(await store().addEvents(batch)).toEqual({ accepted: 0, duplicates: 2 });
      const ids = (await allEvents(store())).map((e) => e.id);
      expect(ids).toEqual(batch.map(eventId));
    });

    it('treats the same instant written differently as the same event, and stores it canonically', async () => {
      await store().addEvents([{ userId: 'u', itemId: 'i', type: 'view', timestamp: '2020-01-01T00:00:00Z' }]);
      const again = [
        { userId: 'u', itemId: 'i', type: 'view', timestamp: '2020-01-01T00:00:00.000Z' },
        { userId: 'u', itemId: 'i', type: 'view', timestamp: '2020-01-01T01:00:00+01:00' },
      ];
      expect(await store().addEvents(again)).toEqual({ accepted: 0, duplicates: 2 });
      const [stored] = await allEvents(store());
      expect(stored.timestamp).toBe('2020-01-01T00:00:00.000Z');
    });

    it('different content (value, text, type) makes a different event', async () => {
      const base = ev('u', 'i', 1);
      const res = await store().addEvents([base, { ...base, value: 1 }, { ...base, text: 'nice' }, { ...base, type: 'click' }]);
      expect(res).toEqual({ accepted: 4, duplicates: 0 });
    });

    it('uses client ids as given: a re-sent batch and in-batch repeats count as duplicates', async () => {
      const batch: Event[] = [ev('u', 'a', 1, { id: 'e1' }), ev('u', 'b', 2, { id: 'e2' }), ev('u', 'c', 3, { id: 'e1' })];
      expect(await store().addEvents(batch)).toEqual({ accepted: 2, duplicates: 1 });
      expect(await store().addEvents(batch.slice(0, 2))).toEqual({ accepted: 0, duplicates: 2 });
      const stored = await allEvents(store());
      expect(stored.map((e) => [e.id, e.itemId])).toEqual([['e1', 'a'], ['e2', 'b']]); // the first e1 wins
    });

    it('round-trips value and text, and leaves absent fields absent', async () => {
      await store().addEvents([ev('u', 'a', 1, { id: 'r', type: 'review', value: 4.5, text: 'Loved it' }), ev('u', 'b', 2, { id: 'v' })]);
      expect(await store().history('u')).toStrictEqual([
        { id: 'v', userId: 'u', itemId: 'b', type: 'view', timestamp: '2024-01-01T00:00:02.000Z' },
        { id: 'r', userId: 'u', itemId: 'a', type: 'review', value: 4.5, timestamp: '2024-01-01T00:00:01.000Z', text: 'Loved it' },
      ]);
    });

    it('keeps the sentiment score the engine sets (history, scan, bulk, write-back), drops an out-of-range one, erases it with the user', async () => {
      const review = (id: string, second: number, sentiment: number) => ({ ...ev('s', 'a', second, { id, type: 'review', text: 'Loved it' }), sentiment });
      await store().addEvents([review('s1', 1, 0.625), review('s2', 2, 7)]);
      const w = await store().bulk();
      await w.addEvents([review('s3', 3, -0.5)]);
      await w.commit();
      await store().addEvents([review('s1', 4, -1)]); // a known id keeps its first row, score included
      const byId = (events: StoredEvent[]) => Object.fromEntries(events.map((e) => [e.id, e.sentiment]));
      expect(byId(await store().history('s'))).toStrictEqual({ s1: 0.625, s2: undefined, s3: -0.5 });
      expect(byId(await allEvents(store()))).toStrictEqual({ s1: 0.625, s2: undefined, s3: -0.5 });
      expect('sentiment' in (await store().history('s', { limit: 3 }))[1]).toBe(false); // absent, not undefined
      // Write-back of scores computed on read: only rows with text and no score yet take one.
      await store().addEvents([ev('s', 'b', 5, { id: 'bare' })]);
      const back = [{ id: 's2', sentiment: 0.25 }, { id: 's1', sentiment: 0.9 }, { id: 'bare', sentiment: 0.5 }, { id: 'gone', sentiment: 0.5 }, { id: 's3', sentiment: 2 }];
      expect(await store().setEventSentiments(back)).toBe(1);
      expect(byId(await store().history('s'))).toStrictEqual({ bare: undefined, s1: 0.625, s2: 0.25, s3: -0.5 });
      expect((await store().eraseUser('s')).events).toBe(4);
      await store().addEvents([{ ...ev('s', 'a', 1, { id: 's1', type: 'review', text: 'Loved it' }) }]);
      expect((await store().history('s'))[0]).not.toHaveProperty('sentiment'); // nothing of the erased score is left
    });

    const invalid: Array<[string, Partial<Event>, string]> = [
      ['a NaN value', { value: NaN }, 'value'],
      ['an infinite value', { value: Infinity }, 'value'],
      ['an unparseable timestamp', { timestamp: 'yesterday' }, 'timestamp'],
      ['an impossible date', { timestamp: '2023-02-30T00:00:00Z' }, 'timestamp'],
      ['a date-time without zone', { timestamp: '2023-02-01T10:00:00' }, 'timestamp'],
      ['an empty userId', { userId: '' }, 'userId'],
      ['an empty itemId', { itemId: '' }, 'itemId'],
      ['an empty type', { type: '' }, 'type'],
      ['an empty id', { id: '' }, 'id'],
    ];
    for (const [what, patch, field] of invalid) {
      it(`rejects a whole batch containing ${what} (INVALID_INPUT, path and row) and writes nothing`, async () => {
        const batch = [ev('u', 'a', 1), { ...ev('u', 'b', 2), ...patch }, ev('u', 'c', 3)];
        const details = await expectEngineError(store().addEvents(batch), 'INVALID_INPUT');
        expect(details).toMatchObject({ path: `/events/1/${field}`, row: 1 });
        expect((await store().counts()).events).toBe(0);
      });
    }

    it('accepts an empty batch', async () => {
      expect(await store().addEvents([])).toEqual({ accepted: 0, duplicates: 0 });
    });
  });

  describe('history', () => {
    const seed = () => store().addEvents([
      ev('u', 'a', 1, { id: 'e1' }),
      ev('u', 'b', 3, { id: 'e3', type: 'purchase' }),
      ev('u', 'c', 2, { id: 'e2b' }),
      ev('u', 'd', 2, { id: 'e2a', type: 'like' }),
      ev('other', 'z', 9, { id: 'x' }),
    ]);

    it('returns only the user\'s events, newest first (ties by id, descending)', async () => {
      await seed();
      expect((await store().history('u')).map((e) => e.id)).toEqual(['e3', 'e2b', 'e2a', 'e1']);
      expect(await store().history('nobody')).toEqual([]);
    });

    it('applies limit, types and since (inclusive) together', async () => {
      await seed();
      expect((await store().history('u', { limit: 2 })).map((e) => e.id)).toEqual(['e3', 'e2b']);
      expect((await store().history('u', { limit: 0 }))).toEqual([]);
      expect((await store().history('u', { types: ['like', 'purchase'] })).map((e) => e.id)).toEqual(['e3', 'e2a']);
      expect((await store().history('u', { types: [] }))).toEqual([]);
      expect((await store().history('u', { since: '2024-01-01T00:00:02Z' })).map((e) => e.id)).toEqual(['e3', 'e2b', 'e2a']);
      expect((await store().history('u', { since: '2024-01-01T00:00:02Z', types: ['view'], limit: 5 })).map((e) => e.id)).toEqual(['e2b']);
    });

    it('rejects invalid options', async () => {
      await expectEngineError(store().history('u', { limit: -1 }), 'INVALID_INPUT');
      await expectEngineError(store().history('u', { since: 'soon' }), 'INVALID_INPUT');
    });
  });

  describe('scanEvents', () => {
    it('yields every event once in (timestamp, id) order, in batches of batchSize', async () => {
      const events = [5, 1, 3, 3, 2, 4, 3].map((s, i) => ev(`u${i % 2}`, `i${i}`, s, { id: `e${6 - i}` }));
      await store().addEvents(events);
      const batches = await collect(store().scanEvents({ batchSize: 3 }));
      expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
      const order = batches.flat().map((e) => `${e.timestamp.slice(17, 19)}:${e.id}`);
      expect(order).toEqual(['01:e5', '02:e2', '03:e0', '03:e3', '03:e4', '04:e1', '05:e6']);
    });

    it('ends cleanly when the count is a multiple of batchSize, and yields nothing for an empty store', async () => {
      expect(await collect(store().scanEvents())).toEqual([]);
      await store().addEvents([1, 2, 3, 4].map((s) => ev('u', 'i', s)));
      expect((await collect(store().scanEvents({ batchSize: 2 }))).map((b) => b.length)).toEqual([2, 2]);
    });

    it('filters by types, since (inclusive) and until (exclusive)', async () => {
      await store().addEvents([1, 2, 3, 4, 5].map((s) => ev('u', `i${s}`, s, { type: s % 2 ? 'view' : 'click' })));
      const scan = async (opts: Parameters<ReturnType<StoreHandle>['scanEvents']>[0]) =>
        (await collect(store().scanEvents(opts))).flat().map((e) => e.itemId);
      expect(await scan({ types: ['click'] })).toEqual(['i2', 'i4']);
      expect(await scan({ since: '2024-01-01T00:00:02Z', until: '2024-01-01T00:00:04Z' })).toEqual(['i2', 'i3']);
      expect(await scan({ since: '2024-01-01T00:00:02Z', types: ['view'], batchSize: 1 })).toEqual(['i3', 'i5']);
      expect(await scan({ types: [] })).toEqual([]);
      await expectEngineError(scan({ until: 'never' }), 'INVALID_INPUT');
    });

    it('orders by instant across years and time zones', async () => {
      await store().addEvents([
        ev('u', 'late', 0, { timestamp: '2000-01-01T00:30:00+01:00' }), // 1999-12-31T23:30Z
        ev('u', 'early', 0, { timestamp: '1999-12-31T23:00:00Z' }),
        ev('u', 'last', 0, { timestamp: '2000-01-01T00:00:00Z' }),
      ]);
      expect((await allEvents(store())).map((e) => e.itemId)).toEqual(['early', 'late', 'last']);
    });
  });

  describe('deleteEvents', () => {
    it("deletes one user's events on one item of the given types, returns how many, and touches nothing else", async () => {
      await store().addEvents([
        ev('u', 'a', 1, { id: 'n1', type: 'not_interested' }), ev('u', 'a', 2, { id: 'd1', type: 'dislike' }), ev('u', 'a', 3, { id: 'v1' }),
        ev('u', 'b', 4, { id: 'n2', type: 'not_interested' }), ev('other', 'a', 5, { id: 'n3', type: 'not_interested' }),
      ]);
      expect(await store().deleteEvents('u', { itemId: 'a', types: ['not_interested', 'dislike'] })).toBe(2);
      expect((await store().history('u')).map((e) => e.id)).toEqual(['n2', 'v1']);
      expect((await store().history('other')).map((e) => e.id)).toEqual(['n3']);
      expect(await store().deleteEvents('u', { itemId: 'a', types: ['not_interested'] })).toBe(0);
      expect(await store().deleteEvents('nobody', { itemId: 'a' })).toBe(0);
      expect(await store().deleteEvents('u', { itemId: 'a', types: [] })).toBe(0);
      expect(await store().deleteEvents('u', { itemId: 'a' })).toBe(1);
      expect(await store().counts()).toMatchObject({ events: 2 });
    });

    it('leaves no trace: the same event can be added again', async () => {
      const said = ev('u', 'a', 1, { type: 'not_interested' });
      await store().addEvents([said]);
      await store().deleteEvents('u', { itemId: 'a', types: ['not_interested'] });
      expect(await store().addEvents([said])).toEqual({ accepted: 1, duplicates: 0 });
      expect((await allEvents(store())).map((e) => e.itemId)).toEqual(['a']);
    });

    it('rejects types that are not a list of strings', async () => {
      await expectEngineError(store().deleteEvents('u', { itemId: 'a', types: 'dislike' as unknown as string[] }), 'INVALID_INPUT');
    });
  });

  describe('purgeEventsBefore and eraseUser', () => {
    it('purgeEventsBefore deletes events strictly before the cutoff and returns how many', async () => {
      await store().addEvents([1, 2, 3, 4].map((s) => ev('u', `i${s}`, s)));
      expect(await store().purgeEventsBefore(new Date('2024-01-01T00:00:03Z'))).toBe(2);
      expect((await allEvents(store())).map((e) => e.itemId)).toEqual(['i3', 'i4']);
      expect(await store().purgeEventsBefore(new Date('2000-01-01T00:00:00Z'))).toBe(0);
      await expectEngineError(store().purgeEventsBefore(new Date('nonsense')), 'INVALID_INPUT');
    });

    it('eraseUser removes the user record and all their events, and reports both', async () => {
      await store().upsertUsers([{ id: 'u1' }, { id: 'u2' }]);
      await store().addEvents([ev('u1', 'a', 1), ev('u1', 'b', 2), ev('u2', 'a', 3)]);
      const report = await store().eraseUser('u1');
      expect(report).toMatchObject({ userId: 'u1', events: 2, user: true, profile: false, carePreferences: false, cachedLists: 0 });
      expect(['overwritten', 'wal-pending', 'until-vacuum', 'released']).toContain(report.freedSpace);
      expect(await store().getUser('u1')).toBeUndefined();
      expect(await store().history('u1')).toEqual([]);
      expect((await store().history('u2')).length).toBe(1);
      expect(await store().counts()).toEqual({ items: 0, users: 1, events: 1 });
    });

    it('eraseUser of a user known only from events, or not at all', async () => {
      await store().addEvents([ev('anon', 'a', 1)]);
      expect(await store().eraseUser('anon')).toMatchObject({ userId: 'anon', events: 1, user: false, profile: false, carePreferences: false });
      expect(await store().eraseUser('nobody')).toMatchObject({ userId: 'nobody', events: 0, user: false, profile: false, carePreferences: false, cachedLists: 0 });
    });
  });
}
