import { describe, expect, it } from 'vitest';
import { allEvents, ev, expectEngineError, type StoreHandle } from './fixtures.js';

/** bulk(): all-or-nothing imports. */
export function describeBulk(store: StoreHandle): void {
  describe('bulk', () => {
    it('keeps staged writes invisible to readers until commit, then shows all of them', async () => {
      const w = await store().bulk();
      await w.upsertItems([{ id: 'a', title: 'A' }]);
      await w.upsertUsers([{ id: 'u1' }]);
      expect(await w.addEvents([ev('u1', 'a', 1), ev('u1', 'a', 2)])).toEqual({ accepted: 2, duplicates: 0 });
      expect(await store().counts()).toEqual({ items: 0, users: 0, events: 0 });
      expect(await store().getItems(['a'])).toEqual([]);
      expect(await store().history('u1')).toEqual([]);
      await w.commit();
      expect(await store().counts()).toEqual({ items: 1, users: 1, events: 2 });
      expect(await store().itemCount()).toBe(1);
      expect(await store().getItems(['a'])).toStrictEqual([{ id: 'a', title: 'A' }]);
    });

    it('rollback discards everything; a finished writer refuses more work but tolerates rollback', async () => {
      await store().addEvents([ev('u1', 'kept', 1)]);
      const w = await store().bulk();
      await w.upsertItems([{ id: 'a' }]);
      await w.addEvents([ev('u1', 'a', 2)]);
      await w.rollback();
      expect(await store().counts()).toEqual({ items: 0, users: 0, events: 1 });
      await expectEngineError(w.addEvents([ev('u1', 'b', 3)]), 'CONFLICT');
      await expectEngineError(w.commit(), 'CONFLICT');
      await w.rollback(); // safe in a finally block

      const done = await store().bulk();
      await done.commit();
      await done.rollback();
      await expectEngineError(done.commit(), 'CONFLICT');
    });

    it('counts duplicates against the store and against earlier calls of the same import', async () => {
      await store().addEvents([ev('u', 'a', 1, { id: 'e1' })]);
      const w = await store().bulk();
      expect(await w.addEvents([ev('u', 'a', 1, { id: 'e1' }), ev('u', 'b', 2, { id: 'e2' })])).toEqual({ accepted: 1, duplicates: 1 });
      expect(await w.addEvents([ev('u', 'b', 2, { id: 'e2' }), ev('u', 'c', 3, { id: 'e3' }), ev('u', 'c', 3, { id: 'e3' })]))
        .toEqual({ accepted: 1, duplicates: 2 });
      await w.commit();
      expect((await allEvents(store())).map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    });

    it('a rejected call writes nothing of its own batch but keeps the earlier calls of the import', async () => {
      const w = await store().bulk();
      await w.addEvents([ev('u', 'a', 1)]);
      await expectEngineError(w.addEvents([ev('u', 'b', 2), ev('u', 'c', 3, { value: NaN })]), 'INVALID_INPUT');
      await expectEngineError(w.upsertItems([{ id: 'x' }, { id: '' }]), 'INVALID_INPUT');
      await w.commit();
      expect((await allEvents(store())).map((e) => e.itemId)).toEqual(['a']);
      expect((await store().counts()).items).toBe(0);
    });

    it('upserts inside an import replace records like direct upserts do', async () => {
      await store().upsertItems([{ id: 'a', title: 'old', tags: ['t'] }]);
      const w = await store().bulk();
      await w.upsertItems([{ id: 'a', title: 'new' }]);
      await w.upsertUsers([{ id: 'u', attributes: { k: 1 } }]);
      await w.upsertUsers([{ id: 'u', consent: { personalisation: false } }]);
      await w.commit();
      expect(await store().getItems(['a'])).toStrictEqual([{ id: 'a', title: 'new' }]);
      expect(await store().getUser('u')).toStrictEqual({ id: 'u', consent: { personalisation: false } });
    });

    it('closing the store abandons an open import', async () => {
      const w = await store().bulk();
      await w.addEvents([ev('u', 'a', 1)]);
      await store().close();
      await expectEngineError(w.commit(), 'CONFLICT');
    });
  });
}
