import { describe, expect, it } from 'vitest';
import { expectEngineError, type StoreHandle } from './fixtures.js';

/** Stored scenarios: put/get/list/delete, whole-record replace, copies, name checks. */
export function describeScenarios(store: StoreHandle): void {
  describe('scenarios', () => {
    const home = { name: 'home', filter: 'in_stock = true', count: 20, recall: { popular: { quota: 0 }, cf: { quota: 5, pad: 2 } }, description: 'Front page' };

    it('round-trips every field; an unknown name is undefined', async () => {
      await store().putScenario(home);
      expect(await store().getScenario('home')).toStrictEqual(home);
      expect(await store().getScenario('email')).toBeUndefined();
    });

    it('lists in name order and replaces the whole record on put (fields left out are cleared)', async () => {
      await store().putScenario({ name: 'item-page', count: 5 });
      await store().putScenario(home);
      await store().putScenario({ name: 'email_1' });
      await store().putScenario({ name: 'home', filter: 'price < 50' });
      expect(await store().listScenarios()).toStrictEqual([{ name: 'email_1' }, { name: 'home', filter: 'price < 50' }, { name: 'item-page', count: 5 }]);
    });

    it('deletes: true once, then false; the scenario is gone', async () => {
      await store().putScenario(home);
      expect(await store().deleteScenario('home')).toBe(true);
      expect(await store().deleteScenario('home')).toBe(false);
      expect(await store().getScenario('home')).toBeUndefined();
      expect(await store().listScenarios()).toEqual([]);
    });

    it('hands out copies: mutating the input or a returned record changes nothing stored', async () => {
      const input = structuredClone(home);
      await store().putScenario(input);
      input.recall.cf.quota = 99;
      const got = await store().getScenario('home');
      if (got?.recall?.cf) got.recall.cf.quota = 42;
      expect(await store().getScenario('home')).toStrictEqual(home);
    });

    it('rejects a bad name or a field of the wrong type (INVALID_INPUT naming the field) and stores nothing', async () => {
      for (const name of ['', 'Home', '-x', 'a'.repeat(65), 'a b']) {
        expect(await expectEngineError(store().putScenario({ name }), 'INVALID_INPUT')).toMatchObject({ field: 'name' });
      }
      expect(await expectEngineError(store().putScenario({ name: 'x', count: 1.5 }), 'INVALID_INPUT')).toMatchObject({ field: 'count' });
      expect(await expectEngineError(store().putScenario({ name: 'x', recall: { cf: { quota: Number.NaN } } }), 'INVALID_INPUT')).toMatchObject({ field: 'recall' });
      await expectEngineError(store().getScenario('Not A Name'), 'INVALID_INPUT');
      expect(await store().listScenarios()).toEqual([]);
    });
  });
}
