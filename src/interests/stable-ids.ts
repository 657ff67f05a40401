import type { ItemId } from '../core/types.js';
import type { InterestGeometry } from './profile.js';
import type { Interest, InterestProfile } from './profile-types.js';
import { hasPreference, type ProfileState, type StoredGeometry } from './profile-state.js';

/** A new interest takes an old one's id when they share at least this Jaccard overlap of items. */
const MIN_OVERLAP = 0.3;
/** The members' cosine to the centre that sets the radius: this quantile (robust to one stray member)... */
const RADIUS_QUANTILE = 0.1;
/** ... times this: an item half as close as the interest's less typical members still belongs to it. */
const RADIUS_SHARE = 0.5;

function jaccard(a: ReadonlySet<ItemId>, b: ReadonlySet<ItemId>): number {
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  const union = a.size + b.size - both;
  return union === 0 ? 0 : both / union;
}

function radiusOf(cosines: number[]): number {
  if (cosines.length === 0) return 1;
  const sorted = [...cosines].sort((x, y) => x - y);
  return RADIUS_SHARE * sorted[Math.floor(RADIUS_QUANTILE * (sorted.length - 1))];
}

function geometryOf(g: InterestGeometry): StoredGeometry {
  return {
    centroid: Array.from(g.centroid, (x) => Math.round(x * 1e6) / 1e6),
    mass: g.members.reduce((s, m) => s + m.weight, 0),
    recentMass: g.recentMass,
    radius: radiusOf(g.members.map((m) => m.cos)),
    members: g.members.map((m) => [m.id, m.weight]),
  };
}

/**
 * A freshly clustered profile with ids carried over from the previous state: each new interest takes the id (and the
 * user's mute and boost) of the old interest sharing most of its items (Jaccard ≥ 0.3, best pairs first); the others
 * get new ids. An old interest the user muted or boosted that matches nothing is kept as it was (weight 0), with its
 * centre placed again from its items in the current space (`vectorOf`), so the setting keeps its meaning until the
 * user changes it. Items with no vector there drop such an interest.
 *
 * @example const state = withStableIds(buildProfileWithGeometry(input), previous, { lastEventMs, vectorOf })
 */
export function withStableIds(
  built: { profile: InterestProfile; geometry: InterestGeometry[] },
  previous: ProfileState | undefined,
  at: { lastEventMs: number | null; recentEventIds: string[]; vectorOf: (id: ItemId) => Float32Array | undefined },
): ProfileState {
  const fresh = built.profile.interests.map((interest, n) => ({ interest, geometry: geometryOf(built.geometry[n]) }));
  const old = previous?.profile.interests ?? [];
  const oldSets = old.map((i) => new Set((previous?.geometry[i.id]?.members ?? []).map(([id]) => id)));
  const newSets = fresh.map((f) => new Set(f.geometry.members.map(([id]) => id)));
  const pairs: Array<{ o: number; n: number; overlap: number }> = [];
  oldSets.forEach((a, o) => newSets.forEach((b, n) => {
    const overlap = jaccard(a, b);
    if (overlap >= MIN_OVERLAP) pairs.push({ o, n, overlap });
  }));
  pairs.sort((x, y) => y.overlap - x.overlap || x.o - y.o || x.n - y.n);
  const idOf = new Map<number, number>(); // new -> old
  const taken = new Set<number>();
  for (const p of pairs) {
    if (idOf.has(p.n) || taken.has(p.o)) continue;
    idOf.set(p.n, p.o);
    taken.add(p.o);
  }
  let nextId = previous?.nextId ?? 1;
  const interests: Interest[] = [];
  const geometry: Record<string, StoredGeometry> = {};
  fresh.forEach((f, n) => {
    const o = idOf.get(n);
    const before = o === undefined ? undefined : old[o];
    const id = before?.id ?? String(nextId++);
    interests.push({ ...f.interest, id, muted: before?.muted ?? false, boost: before?.boost ?? 1 });
    geometry[id] = f.geometry;
  });
  old.forEach((i, o) => {
    if (taken.has(o) || !hasPreference(i)) return;
    const members = previous?.geometry[i.id]?.members ?? [];
    const centre = placedAgain(members, at.vectorOf);
    if (!centre) return;
    interests.push({ ...i, weight: 0, recentWeight: 0, size: 0 });
    geometry[i.id] = { ...centre, mass: 0, recentMass: 0, members };
  });
  return {
    format: 1,
    profile: { ...built.profile, interests },
    geometry,
    nextId,
    lastEventMs: at.lastEventMs,
    sinceClustering: 0,
    novel: 0,
    recentEventIds: at.recentEventIds,
  };
}

/** Centre and radius of items in the current space, or undefined when none has a vector there. */
function placedAgain(members: Array<[ItemId, number]>, vectorOf: (id: ItemId) => Float32Array | undefined): { centroid: number[]; radius: number } | undefined {
  const placed = members.map(([id, w]) => ({ v: vectorOf(id), w })).filter((m): m is { v: Float32Array; w: number } => m.v !== undefined);
  if (placed.length === 0) return undefined;
  const sum = new Float64Array(placed[0].v.length);
  for (const { v, w } of placed) for (let d = 0; d < v.length; d++) sum[d] += w * v[d];
  const norm = Math.hypot(...sum) || 1;
  const centroid = Array.from(sum, (x) => x / norm);
  const cosines = placed.map(({ v }) => v.reduce((s, x, d) => s + x * centroid[d], 0));
  return { centroid, radius: radiusOf(cosines) };
}
