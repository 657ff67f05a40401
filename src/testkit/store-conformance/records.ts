import { describe, expect, it } from 'vitest';
import type { Item } from '../../core/types.js';
import { collect, ev, expectEngineError, type StoreHandle } from './fixtures.js';

const full: Item = {
  id: 'film-1',
  title: 'Alien',
  text: 'A crew meets something nasty.',
  categories: ['sci-fi', 'horror'],
  tags: ['space'],
  attributes: { year: 1979, cult: true, rating: null, cast: ['Weaver', 'Hurt'] },
  createdAt: '1979-05-25T00:00:00Z',
  expiresAt: '2100-01-01T12:30:00+02:00',
  hidden: false,
};

/** Items, users, their scans, counts and deleteItem. */
export function describeRecords(store: StoreHandle): void {
  describe('items', () => {
    it('round-trips every field, with times canonical (UTC, milliseconds)', async () => {
      await store().upsertItems([full]);
      expect(await store().getItems(['film-1'])).toStrictEqual([
        { ...full, createdAt: '1979-05-25T00:00:00.000Z', expiresAt: '2100-01-01T10:30:00.000Z' },
      ]);
    });

    it('stores a minimal item without inventing fields', async () => {
      await store().upsertItems([{ id: 'bare' }]);
      expect(await store().getItems(['bare'])).toStrictEqual([{ id: 'bare' }]);
    });

    it('getItems follows the order of ids and skips unknown ones', async () => {
      await store().upsertItems([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
      const got = await store().getItems(['c', 'nope', 'a']);
      expect(got.map((i) => i.id)).toEqual(['c', 'a']);
      expect(await store().getItems([])).toEqual([]);
    });

    it('upsert replaces the whole record: fields left out are cleared', async () => {
      await store().upsertItems([full]);
      await store().upsertItems([{ id: 'film-1', title: 'Alien (1979)', hidden: true }]);
      expect(await store().getItems(['film-1'])).toStrictEqual([{ id: 'film-1', title: 'Alien (1979)', hidden: true }]);
      expect((await store().counts()).items).toBe(1);
    });

    it('keeps an attribute named __proto__ as plain data', async () => {
      const attributes = JSON.parse('{"__proto__": ["x"], "ok": 1}') as Item['attributes'];
      await store().upsertItems([{ id: 'p', attributes }]);
      const [got] = await store().getItems(['p']);
      expect(Object.getPrototypeOf(got.attributes)).toBe(Object.prototype);
      expect(JSON.parse(JSON.stringify(got.attributes))).toEqual(JSON.parse('{"__proto__": ["x"], "ok": 1}'));
    });

    it('the last version wins when one batch repeats an id', async () => {
      await store().upsertItems([{ id: 'x', title: 'first' }, { id: 'x', title: 'second' }]);
      expect(await store().getItems(['x'])).toStrictEqual([{ id: 'x', title: 'second' }]);
    });

    it('hands out copies: mutating a returned item or the input changes nothing stored', async () => {
      const input: Item = { id: 'm', tags: ['a'], attributes: { n: 1 } };
      await store().upsertItems([input]);
      input.tags?.push('b');
      const [got] = await store().getItems(['m']);
      got.tags?.push('c');
      (got.attributes as Record<string, unknown>).n = 2;
      expect(await store().getItems(['m'])).toStrictEqual([{ id: 'm', tags: ['a'], attributes: { n: 1 } }]);
    });

    it('rejects a batch with an invalid item (INVALID_INPUT with path and row) and writes none of it', async () => {
      const details = await expectEngineError(
        store().upsertItems([{ id: 'ok' }, { id: 'bad', createdAt: 'last tuesday' }]),
        'INVALID_INPUT',
      );
      expect(details).toMatchObject({ path: '/items/1/createdAt', row: 1 });
      await expectEngineError(store().upsertItems([{ id: '' }]), 'INVALID_INPUT');
      await expectEngineError(store().upsertItems([{ id: 'n', attributes: { score: NaN } }]), 'INVALID_INPUT');
      expect(await store().getItems(['ok'])).toEqual([]);
      expect((await store().counts()).items).toBe(0);
    });

    it('scanItems yields every item once, ordered by id, in batches of batchSize', async () => {
      await store().upsertItems(['e', 'b', 'd', 'a', 'c'].map((id) => ({ id })));
      const batches = await collect(store().scanItems({ batchSize: 2 }));
      expect(batches.map((b) => b.map((i) => i.id))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
      const exact = await collect(store().scanItems({ batchSize: 5 }));
      expect(exact.map((b) => b.length)).toEqual([5]);
      await expectEngineError(collect(store().scanItems({ batchSize: 0 })), 'INVALID_INPUT');
    });

    it('deleteItem removes the item, its events and its embeddings, and nothing else', async () => {
      await store().upsertItems([{ id: 'gone' }, { id: 'kept' }]);
      await store().addEvents([ev('u1', 'gone', 1), ev('u2', 'gone', 2), ev('u1', 'kept', 3)]);
      const vector = new Float32Array([1, 2]);
      await store().putEmbeddings([
        { itemId: 'gone', provider: 'p', textHash: 'h', vector },
        { itemId: 'kept', provider: 'p', textHash: 'h', vector },
      ]);
      expect(await store().deleteItem('gone')).toBe(true);
      expect(await store().getItems(['gone', 'kept'])).toStrictEqual([{ id: 'kept' }]);
      expect((await store().history('u1')).map((e) => e.itemId)).toEqual(['kept']);
      expect(await store().history('u2')).toEqual([]);
      expect((await store().getEmbeddings('p')).map((r) => r.itemId)).toEqual(['kept']);
      expect(await store().counts()).toEqual({ items: 1, users: 0, events: 1 });
    });

    it('deleteItem of an unknown id returns false but still clears events that name it', async () => {
      await store().addEvents([ev('u1', 'ghost', 1)]);
      expect(await store().deleteItem('ghost')).toBe(false);
      expect((await store().counts()).events).toBe(0);
    });
  });

  describe('users', () => {
    it('round-trips attributes and consent; unknown ids are undefined', async () => {
      await store().upsertUsers([{ id: 'u1', attributes: { country: 'NZ', age: 41 }, consent: { personalisation: false } }]);
      expect(await store().getUser('u1')).toStrictEqual({ id: 'u1', attributes: { country: 'NZ', age: 41 }, consent: { personalisation: false } });
      expect(await store().getUser('nobody')).toBeUndefined();
    });

    it('upsert replaces the whole user', async () => {
      await store().upsertUsers([{ id: 'u1', attributes: { a: 1 }, consent: { personalisation: true } }]);
      await store().upsertUsers([{ id: 'u1', attributes: { b: 'x' } }]);
      expect(await store().getUser('u1')).toStrictEqual({ id: 'u1', attributes: { b: 'x' } });
    });

    it('rejects invalid consent without writing the batch', async () => {
      const bad = { id: 'u2', consent: { personalisation: 'no' } } as unknown as { id: string };
      await expectEngineError(store().upsertUsers([{ id: 'u1' }, bad]), 'INVALID_INPUT');
      expect(await store().getUser('u1')).toBeUndefined();
    });

    it('scanUsers yields all users ordered by id, in batches', async () => {
      await store().upsertUsers(['u3', 'u1', 'u2'].map((id) => ({ id })));
      const batches = await collect(store().scanUsers({ batchSize: 2 }));
      expect(batches.map((b) => b.map((u) => u.id))).toEqual([['u1', 'u2'], ['u3']]);
    });
  });

  describe('counts', () => {
    it('counts item and user records and stored events (events do not create users or items)', async () => {
      expect(await store().counts()).toEqual({ items: 0, users: 0, events: 0 });
      await store().upsertItems([{ id: 'a' }, { id: 'b' }]);
      await store().upsertUsers([{ id: 'u1' }]);
      await store().addEvents([ev('u1', 'a', 1), ev('u9', 'z', 2)]);
      expect(await store().counts()).toEqual({ items: 2, users: 1, events: 2 });
    });
  });
}
