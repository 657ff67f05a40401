/**
 * A user's stored care preferences (issue 10: "per-user preferences stored and respected"): the care settings of
 * care-settings.ts kept per user in the store, layered under a request's own settings and over a scenario's and config
 * (see request-context.ts). Muted interests are part of the view but stay in the interest profile, their one store.
 */
import { EngineError } from '../core/errors.js';
import type { UserId } from '../core/types.js';
import { parseProfileState } from '../interests/profile-state.js';
import type { Cache } from '../storage/cache.js';
import { requireKnownUser } from '../storage/known-user.js';
import type { Store } from '../storage/store.js';
import { checkCareSettings, storedCare, type CareErrorPlace } from './care-settings.js';
import type { CareOverride } from './care-strength.js';

/** What `GET /v1/users/{id}/preferences` answers. */
export interface CarePreferencesView {
  userId: UserId;
  /** The user's own settings (only those they set; config `care` applies to the rest). */
  preferences: CareOverride;
  /** Interests the user muted in their profile (PATCH /v1/users/{id}/profile changes them), heaviest first. */
  mutedInterests: Array<{ id: string; label: string }>;
}

/** A change to a user's care preferences: a value sets a key, null clears it, a key left out keeps its value. */
export type CarePreferencesPatch = { [K in keyof CareOverride]?: CareOverride[K] | null };

export interface CarePreferenceBook {
  /** The user's preferences and muted interests; NOT_FOUND for a user with neither a record nor events. */
  get(userId: UserId): Promise<CarePreferencesView>;
  /**
   * Applies a patch (null clears a key) or, with `replace`, sets exactly these preferences; INVALID_INPUT naming the
   * key for an unknown setting or a value out of its range. Drops the user's cached lists.
   */
  set(userId: UserId, patch: CarePreferencesPatch, opts?: { replace?: boolean }): Promise<CarePreferencesView>;
}

/** Errors of a preferences body name the key itself (`/diversity`). */
const BODY: CareErrorPlace = { path: '/', message: 'preference ' };

/**
 * @example const book = createCarePreferenceBook({ store, cache }); await book.set('u1', { diversity: 0.4, gentle: null })
 */
export function createCarePreferenceBook(deps: { store: Store; cache: Cache }): CarePreferenceBook {
  const { store, cache } = deps;

  async function requireUser(userId: UserId): Promise<void> {
    if (typeof userId !== 'string' || userId.length === 0) throw new EngineError('INVALID_INPUT', 'userId must be a non-empty string', { field: 'userId', path: '/userId' });
    await requireKnownUser(store, userId);
  }

  async function view(userId: UserId, preferences: CareOverride): Promise<CarePreferencesView> {
    const state = parseProfileState((await store.getProfile(userId))?.state);
    const muted = (state?.profile.interests ?? []).filter((i) => i.muted).map((i) => ({ id: i.id, label: i.label }));
    return { userId, preferences, mutedInterests: muted };
  }

  return {
    async get(userId) {
      await requireUser(userId);
      return view(userId, storedCare((await store.getCarePreferences(userId))?.preferences) ?? {});
    },

    async set(userId, patch, opts = {}) {
      const checked = checkCareSettings(patch, BODY, !opts.replace);
      await requireUser(userId);
      const before = opts.replace ? {} : (storedCare((await store.getCarePreferences(userId))?.preferences) ?? {});
      const next: Record<string, number | boolean> = { ...before };
      for (const [key, value] of Object.entries(checked)) {
        if (value === null) delete next[key];
        else next[key] = value;
      }
      if (Object.keys(next).length > 0) await store.putCarePreferences({ userId, preferences: next });
      else await store.deleteCarePreferences(userId);
      await cache.invalidate({ subject: userId }); // lists made under the old preferences have another key; free them
      return view(userId, next as CareOverride);
    },
  };
}
