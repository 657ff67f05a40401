import type { ItemId } from '../core/types.js';
import { decayFactor } from './decay.js';
import type { InterestOptions } from './profile-types.js';
import type { ProfileState } from './profile-state.js';
import { dot } from './spherical-kmeans.js';

const DAY_MS = 86_400_000;
/** Cluster again after this many events folded in one by one (labels, terms and drift are refreshed then). */
export const CLUSTER_AGAIN_EVERY = 25;
/** ... or after this many events far from every interest (a new taste has appeared). */
export const NOVEL_EVENTS = 3;
/** Ids of recent events remembered against repeats. */
const REMEMBERED_EVENTS = 64;

/** One positive event to fold in: its item's vector in the profile's space (undefined when it has none). */
export interface FoldedEvent {
  id: string;
  itemId: ItemId;
  /** Event-type weight (config events.types). */
  weight: number;
  timeMs: number;
  vector: Float32Array | undefined;
}

/**
 * The state after one positive event, without clustering again: every interest's long- and short-term mass decays
 * by the time since the last event (interests.longHalfLifeDays, shortHalfLifeDays); the item joins the interest whose
 * centre is nearest, which moves towards it (centre = unit(centre · mass + weight · vector)) and gains its weight;
 * weights are renormalised. An event older than the newest one counts with its own decay. Returns the same state when
 * the event was folded in before. Mutates and returns `state` (the caller owns the copy).
 *
 * @example state = foldEvent(state, { id: 'e9', itemId: 'i4', weight: 4, timeMs: Date.now(), vector }, config.interests)
 */
export function foldEvent(state: ProfileState, e: FoldedEvent, options: InterestOptions): ProfileState {
  if (state.recentEventIds.includes(e.id)) return state;
  state.recentEventIds = [e.id, ...state.recentEventIds].slice(0, REMEMBERED_EVENTS);
  state.profile.events += 1;
  state.sinceClustering += 1;
  const last = state.lastEventMs ?? e.timeMs;
  const ageDays = Math.max(0, last - e.timeMs) / DAY_MS;
  if (e.timeMs > last) {
    const gapDays = (e.timeMs - last) / DAY_MS;
    for (const g of Object.values(state.geometry)) {
      g.mass *= decayFactor(gapDays, options.longHalfLifeDays);
      g.recentMass *= decayFactor(gapDays, options.shortHalfLifeDays);
    }
  }
  state.lastEventMs = Math.max(last, e.timeMs);
  const live = state.profile.interests.filter((i) => i.size > 0);
  if (!e.vector || live.length === 0) return state;
  const vector = e.vector;
  const scored = live.map((i) => ({ i, cos: dot(vector, state.geometry[i.id].centroid) }));
  const best = scored.reduce((a, b) => (b.cos > a.cos ? b : a));
  const g = state.geometry[best.i.id];
  if (best.cos < g.radius) state.novel += 1;
  const long = e.weight * decayFactor(ageDays, options.longHalfLifeDays);
  const short = e.weight * decayFactor(ageDays, options.shortHalfLifeDays);
  const moved = g.centroid.map((x, d) => x * g.mass + long * vector[d]);
  const norm = Math.hypot(...moved) || 1;
  g.centroid = moved.map((x) => Math.round((x / norm) * 1e6) / 1e6);
  g.mass += long;
  g.recentMass += short;
  const member = g.members.find(([id]) => id === e.itemId);
  if (member) member[1] += long;
  else {
    g.members.push([e.itemId, long]);
    best.i.size += 1;
  }
  const mass = state.profile.interests.reduce((s, i) => s + state.geometry[i.id].mass, 0);
  const recent = state.profile.interests.reduce((s, i) => s + state.geometry[i.id].recentMass, 0);
  for (const i of state.profile.interests) {
    i.weight = mass > 0 ? state.geometry[i.id].mass / mass : 0;
    i.recentWeight = recent > 0 ? state.geometry[i.id].recentMass / recent : 0;
  }
  state.profile.interests.sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : 1));
  return state;
}

/**
 * True when the user's items should be clustered again: no interests yet, CLUSTER_AGAIN_EVERY events folded in, or
 * NOVEL_EVENTS of them far from every interest.
 *
 * @example if (needsClustering(state)) state = await rebuild(...)
 */
export function needsClustering(state: ProfileState): boolean {
  const live = state.profile.interests.some((i) => i.size > 0);
  return (!live && state.sinceClustering > 0) || state.sinceClustering >= CLUSTER_AGAIN_EVERY || state.novel >= NOVEL_EVENTS;
}
