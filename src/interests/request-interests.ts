import type { ItemId } from '../core/types.js';
import type { ItemSpaceKind } from './item-space.js';
import { preferencesOf, type InterestPreferences } from './profile-preferences.js';
import type { ProfileState } from './profile-state.js';

/** One of the user's interests as recall reads it: where it sits and how much of the user's taste it is. */
export interface InterestCentre {
  id: string;
  label: string;
  /** Its long-term weight times the user's boost: the share of the interests channel's budget it gets. */
  weight: number;
  /** Unit centre in the profile's item space. */
  centroid: Float32Array;
}

/** What one request reads from the user's stored profile (one store read): settings and interest centres. */
export interface RequestInterests {
  /** The user's mutes and boosts; undefined when there are none. */
  preferences?: InterestPreferences;
  /** The space the centres live in (profile.space.kind). */
  space: ItemSpaceKind;
  /** The unmuted interests with a positive weight, heaviest first (empty when the centres are stale, see below). */
  interests: InterestCentre[];
}

/**
 * The request's view of a stored profile. `current` says whether the centres are placed in the served bundle's space
 * (a factor space changes with every model version; text embeddings do not): stale centres are not searched.
 *
 * @example requestInterestsOf(state, (id) => space.vector(bundle.items.indexOf(id)), true).interests[0].label // 'Sci-Fi · space'
 */
export function requestInterestsOf(state: ProfileState, vectorOf: (id: ItemId) => Float32Array | undefined, current: boolean): RequestInterests {
  const space = state.profile.space.kind;
  const interests = !current ? [] : state.profile.interests
    .filter((i) => !i.muted && i.weight > 0 && state.geometry[i.id])
    .map((i) => ({ id: i.id, label: i.label, weight: i.weight * i.boost, centroid: Float32Array.from(state.geometry[i.id].centroid) }))
    .sort((a, b) => b.weight - a.weight || a.id.localeCompare(b.id));
  return { preferences: preferencesOf(state, vectorOf), space, interests };
}
