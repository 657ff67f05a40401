import { describe, expect, it } from 'vitest';
import { expectEngineError, type StoreHandle } from './fixtures.js';

/** listItems / listUsers: keyset pages in id order. */
export function describeListing(store: StoreHandle): void {
  describe('listing pages', () => {
    it('lists items in id order, a page at a time, resuming after the last id', async () => {
      await store().upsertItems(['d', 'a', 'c', 'e', 'b'].map((id) => ({ id, title: id.toUpperCase() })));
      const first = await store().listItems({ limit: 2 });
      expect(first).toStrictEqual([{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }]);
      expect((await store().listItems({ after: 'b', limit: 2 })).map((i) => i.id)).toEqual(['c', 'd']);
      expect((await store().listItems({ after: 'd', limit: 2 })).map((i) => i.id)).toEqual(['e']);
      expect(await store().listItems({ after: 'e', limit: 2 })).toEqual([]);
      // `after` need not exist: the page starts at the next id that does.
      expect((await store().listItems({ after: 'bb', limit: 10 })).map((i) => i.id)).toEqual(['c', 'd', 'e']);
    });

    it('neither repeats nor skips rows when records are written between pages', async () => {
      await store().upsertItems([{ id: 'b' }, { id: 'd' }]);
      const first = await store().listItems({ limit: 1 });
      await store().upsertItems([{ id: 'a' }, { id: 'c' }]);
      const rest = await store().listItems({ after: first[0].id, limit: 10 });
      expect([...first, ...rest].map((i) => i.id)).toEqual(['b', 'c', 'd']);
    });

    it('lists users the same way, as copies', async () => {
      await store().upsertUsers([{ id: 'u2', attributes: { plan: 'pro' } }, { id: 'u1' }, { id: 'u3' }]);
      const page = await store().listUsers({ limit: 2 });
      expect(page).toStrictEqual([{ id: 'u1' }, { id: 'u2', attributes: { plan: 'pro' } }]);
      (page[1].attributes as Record<string, unknown>).plan = 'free';
      expect((await store().listUsers({ after: 'u1', limit: 1 }))[0].attributes).toEqual({ plan: 'pro' });
      expect((await store().listUsers({ after: 'u2', limit: 5 })).map((u) => u.id)).toEqual(['u3']);
    });

    it('rejects a limit that is not a positive integer and a non-string after', async () => {
      await expectEngineError(store().listItems({ limit: 0 }), 'INVALID_INPUT');
      await expectEngineError(store().listUsers({ limit: Infinity }), 'INVALID_INPUT');
      await expectEngineError(store().listItems({ limit: 1, after: 5 as unknown as string }), 'INVALID_INPUT');
    });
  });
}
