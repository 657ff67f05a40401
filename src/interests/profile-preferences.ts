import { EngineError } from '../core/errors.js';
import type { ItemId } from '../core/types.js';
import type { ProfileState } from './profile-state.js';
import { dot } from './spherical-kmeans.js';

/** One interest's change (PATCH /v1/users/{id}/profile): fields left out keep their value. */
export interface InterestChange {
  id: string;
  mute?: boolean;
  boost?: number;
}

/** What a user changes in their profile. */
export interface ProfileChange {
  interests?: InterestChange[];
  /** Clears every mute and boost before the changes are applied. */
  reset?: boolean;
}

export const BOOST_LIMITS = { min: 0.1, max: 10 } as const;

function invalid(message: string, path: string, field: string): EngineError {
  return new EngineError('INVALID_INPUT', message, { path, field });
}

/**
 * The state with the user's mutes and boosts changed. Unknown interest ids, a non-boolean mute and a boost outside
 * 0.1–10 are INVALID_INPUT naming the path (`/interests/0/id`); nothing is changed then. Mutates and returns `state`.
 *
 * @example applyProfileChange(state, { interests: [{ id: '2', mute: true }, { id: '1', boost: 1.5 }] })
 */
export function applyProfileChange(state: ProfileState, change: ProfileChange): ProfileState {
  const byId = new Map(state.profile.interests.map((i) => [i.id, i]));
  const changes = change.interests ?? [];
  if (!Array.isArray(changes)) throw invalid('interests must be an array', '/interests', 'interests');
  changes.forEach((c, n) => {
    if (typeof c?.id !== 'string' || !byId.has(c.id)) throw invalid('is not an interest of this profile (see GET /v1/users/{id}/profile)', `/interests/${n}/id`, 'id');
    if (c.mute !== undefined && typeof c.mute !== 'boolean') throw invalid('must be true or false', `/interests/${n}/mute`, 'mute');
    if (c.boost !== undefined && (typeof c.boost !== 'number' || !(c.boost >= BOOST_LIMITS.min && c.boost <= BOOST_LIMITS.max))) {
      throw invalid(`must be a number from ${BOOST_LIMITS.min} to ${BOOST_LIMITS.max}`, `/interests/${n}/boost`, 'boost');
    }
  });
  if (change.reset) for (const i of state.profile.interests) Object.assign(i, { muted: false, boost: 1 });
  for (const c of changes) {
    const interest = byId.get(c.id);
    if (!interest) continue;
    if (c.mute !== undefined) interest.muted = c.mute;
    if (c.boost !== undefined) interest.boost = c.boost;
  }
  // An interest kept only for its setting (weight 0, no items) goes once the setting is cleared.
  state.profile.interests = state.profile.interests.filter((i) => i.size > 0 || i.muted || i.boost !== 1);
  for (const id of Object.keys(state.geometry)) if (!state.profile.interests.some((i) => i.id === id)) delete state.geometry[id];
  return state;
}

/** What the pipeline needs to honour a user's mutes and boosts (see pipeline/stages/interest-preferences.ts). */
export interface InterestPreferences {
  /** The interest an item belongs to (its nearest interest, when it is within that interest's radius), if any. */
  interestOf(itemId: ItemId): string | undefined;
  muted: ReadonlySet<string>;
  /** Interest id -> boost (only those ≠ 1). */
  boosts: ReadonlyMap<string, number>;
}

/**
 * The user's settings as a membership test over item vectors of the profile's space, or undefined when nothing is
 * muted or boosted.
 *
 * @example const prefs = preferencesOf(state, (id) => space.vector(bundle.items.indexOf(id)))
 */
export function preferencesOf(state: ProfileState, vectorOf: (id: ItemId) => Float32Array | undefined): InterestPreferences | undefined {
  const interests = state.profile.interests;
  const muted = new Set(interests.filter((i) => i.muted).map((i) => i.id));
  const boosts = new Map(interests.filter((i) => !i.muted && i.boost !== 1).map((i) => [i.id, i.boost]));
  if (muted.size === 0 && boosts.size === 0) return undefined;
  const centres = interests.map((i) => ({ id: i.id, centroid: state.geometry[i.id].centroid, radius: state.geometry[i.id].radius }));
  const memo = new Map<ItemId, string | undefined>();
  return {
    muted,
    boosts,
    interestOf(itemId) {
      if (memo.has(itemId)) return memo.get(itemId);
      const v = vectorOf(itemId);
      let found: string | undefined;
      if (v) {
        let best = -Infinity;
        for (const c of centres) {
          const cos = dot(v, c.centroid);
          if (cos > best) {
            best = cos;
            found = cos >= c.radius ? c.id : undefined;
          }
        }
      }
      memo.set(itemId, found);
      return found;
    },
  };
}
