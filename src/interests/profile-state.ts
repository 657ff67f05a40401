import type { ItemId } from '../core/types.js';
import type { InterestProfile } from './profile-types.js';

/** Where one stored interest sits, kept so that each event can move it without clustering again. */
export interface StoredGeometry {
  /** Unit centre in the profile's item space (profile.space). */
  centroid: number[];
  /** Decayed long-term weight of its items (the interest's `weight` is its share of all interests' mass). */
  mass: number;
  /** Decayed short-term weight (half-life interests.shortHalfLifeDays). */
  recentMass: number;
  /**
   * An item belongs to the interest when the interest is its nearest and it is at least this close (cosine): half the
   * cosine of the interest's least typical tenth of members.
   */
  radius: number;
  /** Its items and their long-term weight when folded in (what ids are matched by after clustering again). */
  members: Array<[ItemId, number]>;
  /** The built-in label when a language model wrote `label`: the model is asked again only when this changes. */
  builtinLabel?: string;
}

/**
 * A user's stored profile: the profile as served (interests with stable ids, mutes and boosts) plus what incremental
 * updates need. Stored as the state of a ProfileRecord (Store.putProfile).
 */
export interface ProfileState {
  format: 1;
  profile: InterestProfile;
  /** By interest id. */
  geometry: Record<string, StoredGeometry>;
  /** The id the next new interest gets. */
  nextId: number;
  /** Time of the newest event folded in (ms since epoch); null before any. */
  lastEventMs: number | null;
  /** Positive events folded in since the user's items were last clustered. */
  sinceClustering: number;
  /** Of those, events whose item was far from every interest (a new taste: clustering again will show it). */
  novel: number;
  /** Ids of the most recently folded events, so a repeated event is not counted twice. */
  recentEventIds: string[];
}

/**
 * The stored state of a profile record, or undefined when it is not one this version reads (it is then rebuilt).
 *
 * @example const state = parseProfileState((await store.getProfile('u1'))?.state)
 */
export function parseProfileState(raw: Record<string, unknown> | undefined): ProfileState | undefined {
  if (!raw || raw.format !== 1) return undefined;
  const s = raw as unknown as ProfileState;
  const ok = typeof s.profile === 'object' && s.profile !== null && Array.isArray(s.profile.interests)
    && typeof s.geometry === 'object' && s.geometry !== null && typeof s.nextId === 'number' && Array.isArray(s.recentEventIds)
    && s.profile.interests.every((i) => typeof i.id === 'string' && Array.isArray(s.geometry[i.id]?.centroid));
  return ok ? s : undefined;
}

/**
 * The state as the plain JSON a ProfileRecord holds.
 *
 * @example await store.putProfile({ userId, state: profileStateRecord(state) })
 */
export function profileStateRecord(state: ProfileState): Record<string, unknown> {
  return JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
}

/** Interest ids with a user's setting (muted or boosted): kept across clustering even without a matching interest. */
export function hasPreference(i: { muted: boolean; boost: number }): boolean {
  return i.muted || i.boost !== 1;
}
