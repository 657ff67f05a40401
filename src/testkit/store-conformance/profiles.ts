import { describe, expect, it } from 'vitest';
import { expectEngineError, type StoreHandle } from './fixtures.js';

/** Stored interest profiles: put/get/delete, whole-record replace, copies, erased with the user. */
export function describeProfiles(store: StoreHandle): void {
  describe('profiles', () => {
    const state = { version: 1, interests: [{ id: 'i1', mute: true, centroid: [0.6, -0.8], items: { a: 2.5 } }], label: null };

    it('round-trips the state; an unknown user is undefined', async () => {
      await store().putProfile({ userId: 'u1', state });
      expect(await store().getProfile('u1')).toStrictEqual({ userId: 'u1', state });
      expect(await store().getProfile('u2')).toBeUndefined();
    });

    it('replaces the whole record on put, and deletes: true once, then false', async () => {
      await store().putProfile({ userId: 'u1', state });
      await store().putProfile({ userId: 'u1', state: { version: 2 } });
      expect(await store().getProfile('u1')).toStrictEqual({ userId: 'u1', state: { version: 2 } });
      expect(await store().deleteProfile('u1')).toBe(true);
      expect(await store().deleteProfile('u1')).toBe(false);
      expect(await store().getProfile('u1')).toBeUndefined();
    });

    it('hands out copies: mutating the input or a returned record changes nothing stored', async () => {
      const input = structuredClone(state);
      await store().putProfile({ userId: 'u1', state: input });
      input.interests[0].centroid[0] = 9;
      const got = await store().getProfile('u1');
      (got?.state.interests as Array<{ mute: boolean }>)[0].mute = false;
      expect(await store().getProfile('u1')).toStrictEqual({ userId: 'u1', state });
    });

    it('is erased with the user', async () => {
      await store().upsertUsers([{ id: 'u1' }]);
      await store().putProfile({ userId: 'u1', state });
      expect((await store().eraseUser('u1')).profile).toBe(true);
      expect(await store().getProfile('u1')).toBeUndefined();
    });

    it('rejects an empty user id or state that is not plain JSON (INVALID_INPUT naming the field) and stores nothing', async () => {
      expect(await expectEngineError(store().putProfile({ userId: '', state }), 'INVALID_INPUT')).toMatchObject({ field: 'userId' });
      for (const bad of [{ x: Number.NaN }, { x: undefined }, { d: new Date(0) }, [] as unknown as Record<string, unknown>]) {
        expect(await expectEngineError(store().putProfile({ userId: 'u1', state: bad }), 'INVALID_INPUT')).toMatchObject({ field: 'state' });
      }
      expect(await store().getProfile('u1')).toBeUndefined();
    });
  });
}
