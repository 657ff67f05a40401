import type { ProfileState, StoredGeometry } from '../interests/profile-state.js';
import type { Interest } from '../interests/profile-types.js';

/**
 * A stored profile of user 'u' over ALS factors with these interests and their geometry (by interest id), every
 * counter at rest: the fixture the interests tests fold events into, label, mute and boost.
 *
 * @example profileStateOf([interest], { '1': { centroid: [1, 0], mass: 1, recentMass: 1, radius: 0.5, members: [] } })
 */
export function profileStateOf(interests: Interest[], geometry: Record<string, StoredGeometry>): ProfileState {
  return {
    format: 1,
    profile: {
      userId: 'u', model: { name: 'als', version: 1 }, space: { kind: 'factors', source: 'als' }, events: 4,
      longTerm: { events: 4, items: 4, halfLifeDays: 365, vectors: {}, top: [] },
      shortTerm: { events: 4, items: 4, halfLifeDays: 7, window: 20, vectors: {}, top: [] },
      drift: 0, interests,
    },
    geometry,
    nextId: interests.length + 1, lastEventMs: 0, sinceClustering: 0, novel: 0, recentEventIds: [],
  };
}
