import { describe, expect, it } from 'vitest';
import { expectEngineError, type StoreHandle } from './fixtures.js';

/** Stored care preferences: put/get/delete, whole-record replace, copies, erased with the user. */
export function describeCarePreferences(store: StoreHandle): void {
  describe('care preferences', () => {
    const preferences = { diversity: 0.4, gentle: true, fatigueAfter: 2 };

    it('round-trips the record; an unknown user is undefined', async () => {
      await store().putCarePreferences({ userId: 'u1', preferences });
      expect(await store().getCarePreferences('u1')).toStrictEqual({ userId: 'u1', preferences });
      expect(await store().getCarePreferences('u2')).toBeUndefined();
    });

    it('replaces the whole record on put, and deletes: true once, then false', async () => {
      await store().putCarePreferences({ userId: 'u1', preferences });
      await store().putCarePreferences({ userId: 'u1', preferences: { novelty: 0.2 } });
      expect(await store().getCarePreferences('u1')).toStrictEqual({ userId: 'u1', preferences: { novelty: 0.2 } });
      expect(await store().deleteCarePreferences('u1')).toBe(true);
      expect(await store().deleteCarePreferences('u1')).toBe(false);
      expect(await store().getCarePreferences('u1')).toBeUndefined();
    });

    it('hands out copies: mutating the input or a returned record changes nothing stored', async () => {
      const input = { ...preferences };
      await store().putCarePreferences({ userId: 'u1', preferences: input });
      input.diversity = 1;
      const got = await store().getCarePreferences('u1');
      if (got) got.preferences.gentle = false;
      expect(await store().getCarePreferences('u1')).toStrictEqual({ userId: 'u1', preferences });
    });

    it('is erased with the user, and only that user', async () => {
      await store().upsertUsers([{ id: 'u1' }, { id: 'u2' }]);
      await store().putCarePreferences({ userId: 'u1', preferences });
      await store().putCarePreferences({ userId: 'u2', preferences });
      expect((await store().eraseUser('u1')).carePreferences).toBe(true);
      expect(await store().getCarePreferences('u1')).toBeUndefined();
      expect(await store().getCarePreferences('u2')).toStrictEqual({ userId: 'u2', preferences });
    });

    it('rejects an empty user id or values that are not finite numbers or booleans (INVALID_INPUT) and stores nothing', async () => {
      expect(await expectEngineError(store().putCarePreferences({ userId: '', preferences }), 'INVALID_INPUT')).toMatchObject({ field: 'userId' });
      for (const bad of [{ x: Number.NaN }, { x: 'high' }, { x: null }, [] as unknown as Record<string, number>]) {
        const record = { userId: 'u1', preferences: bad as Record<string, number> };
        expect(await expectEngineError(store().putCarePreferences(record), 'INVALID_INPUT')).toMatchObject({ field: 'preferences' });
      }
      expect(await store().getCarePreferences('u1')).toBeUndefined();
    });
  });
}
