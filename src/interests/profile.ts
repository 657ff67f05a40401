import type { EventTypeConfig } from '../config/schema.js';
import type { Item, ItemId, StoredEvent, UserId } from '../core/types.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { decayedItems, latestEventTime } from './decay.js';
import { distinctiveTerms, interestLabel, type CatalogueTerms } from './interest-labels.js';
import { factorSpace, memoised, neighbourSpace, textSpace, type ItemSpace } from './item-space.js';
import type { Interest, InterestOptions, InterestProfile, InterestTerm, ProfileItem } from './profile-types.js';
import { predictFromSequence, shortTermWithSequence, type SequencePrediction } from './sequence-interest.js';
import { chooseClustering, dot, unitVector } from './spherical-kmeans.js';

/** The heaviest items clustered (the rest join their nearest interest afterwards): bounds the O(n²) silhouette. */
const CLUSTER_ITEMS = 200;
const TOP_ITEMS = 5;
/** Fixed seed: a profile is a function of its inputs. */
const SEED = 42;
/** Below this weighted silhouette a split is not clearer than one interest (see docs/interests.md). */
const MIN_SILHOUETTE = 0.02;
const MIN_CLUSTER_ITEMS = 2;
/** Items within this weighted mean cosine distance of their centre are one taste, never split. */
const MIN_SPREAD = 0.05;

export interface ProfileInput {
  userId: UserId;
  history: readonly StoredEvent[];
  bundle: ModelBundle;
  /** Records of the history's items (title, categories, tags); missing ones are labelled by what is known. */
  items: ReadonlyMap<ItemId, Item>;
  catalogue: CatalogueTerms;
  types: Record<string, EventTypeConfig>;
  options: InterestOptions;
  /**
   * What the bundle's sequence model predicts from the history, when the caller computed it already (profileInputOf
   * does, to read the predicted items' records); computed here otherwise. Null: none (no sequence model or history).
   */
  sequence?: SequencePrediction | null;
}

/**
 * A user's interest profile from their stored history and the served bundle: long- and short-term interest
 * vectors, up to K clustered interests with readable labels, and the drift between recent and long-term taste. With
 * a trained transformer served, the short-term interest also holds its state after the latest items and what it
 * predicts (shortTerm.next).
 * Pure: the same input always gives the same profile.
 *
 * @example buildInterestProfile({ userId: 'u1', history, bundle, items, catalogue, types: config.events.types, options })
 */
export function buildInterestProfile(input: ProfileInput): InterestProfile {
  return buildProfileWithGeometry(input).profile;
}

/** Where one interest sits in the profile's item space: what the stored profile keeps to update it event by event. */
export interface InterestGeometry {
  /** Unit centre of the interest's items. */
  centroid: Float32Array;
  /** Its items with their decayed long-term weight and cosine to the centre. */
  members: Array<{ id: ItemId; weight: number; cos: number }>;
  /** Decayed short-term weight of its items. */
  recentMass: number;
}

/**
 * buildInterestProfile, plus each interest's geometry (parallel to `profile.interests`), for the stored profile.
 *
 * @example const { profile, geometry } = buildProfileWithGeometry(input)
 */
export function buildProfileWithGeometry(input: ProfileInput): { profile: InterestProfile; geometry: InterestGeometry[] } {
  const { bundle, options } = input;
  const reference = latestEventTime(input.history) ?? 0;
  const long = decayedItems(input.history, input.types, reference, { halfLifeDays: options.longHalfLifeDays });
  const short = decayedItems(input.history, input.types, reference, { halfLifeDays: options.shortHalfLifeDays, window: options.shortWindow });
  const heaviest = byWeight(long.weights).slice(0, CLUSTER_ITEMS);
  const indexOf = (id: ItemId): number | undefined => bundle.items.indexOf(id);

  // Text first: clusters of what items are about read best as labels (on ml-100k, ALS factors group films by era).
  const shared = [textSpace(bundle), factorSpace(bundle)].filter((s): s is ItemSpace => s !== undefined).map(memoised);
  // Item-kNN knows the trained items only (items added since have no neighbours yet).
  const local = [...new Set([...heaviest.map(([id]) => id), ...short.weights.keys()])]
    .map(indexOf)
    .filter((i): i is number => i !== undefined && i < bundle.trainedItems);
  const fallback = shared.length === 0 ? neighbourSpace(bundle, local) : undefined;
  const space = shared[0] ?? (fallback && memoised(fallback));

  const longVectors = termVectors(shared, long.weights, indexOf);
  const shortVectors = termVectors(shared, short.weights, indexOf);
  const longInPrimary = space && termVector(space, long.weights, indexOf);
  const shortInPrimary = space && termVector(space, short.weights, indexOf);
  const drift = longInPrimary && shortInPrimary ? Math.max(0, 1 - dot(longInPrimary, shortInPrimary)) : null;

  const clustered = space ? clusterInterests(input, space, long.weights, short.weights, indexOf) : [];
  // The short-term interest from the transformer when one is served: its state after the latest items, and what it predicts.
  const sequence = input.sequence === undefined ? predictFromSequence(bundle, input.history, input.types) : input.sequence ?? undefined;
  const shortTerm = term(short, shortVectors, options.shortHalfLifeDays, options.shortWindow, input.items);
  const profile: InterestProfile = {
    userId: input.userId,
    model: { name: bundle.models.main.name, version: bundle.version },
    space: { kind: space?.kind ?? 'neighbours', source: space?.source ?? 'none' },
    events: long.events,
    longTerm: term(long, longVectors, options.longHalfLifeDays, undefined, input.items),
    shortTerm: shortTermWithSequence(shortTerm, sequence, input.items, input.catalogue),
    drift,
    interests: clustered.map((c) => c.interest),
  };
  return { profile, geometry: clustered.map((c) => c.geometry) };
}

function clusterInterests(
  input: ProfileInput, space: ItemSpace, long: Map<ItemId, number>, short: Map<ItemId, number>, indexOf: (id: ItemId) => number | undefined,
): Array<{ interest: Interest; geometry: InterestGeometry }> {
  const placed = byWeight(long)
    .map(([id, weight]) => ({ id, weight, vector: vectorOf(space, id, indexOf) }))
    .filter((p): p is { id: ItemId; weight: number; vector: Float32Array } => p.vector !== undefined);
  if (placed.length === 0) return [];
  const clustered = placed.slice(0, CLUSTER_ITEMS);
  const chosen = chooseClustering(
    { vectors: clustered.map((p) => p.vector), weights: clustered.map((p) => p.weight) },
    { maxK: input.options.maxInterests, seed: SEED, minClusterSize: MIN_CLUSTER_ITEMS, minSilhouette: MIN_SILHOUETTE, minSpread: MIN_SPREAD },
  );
  // Items beyond the clustered head join the interest whose centroid is nearest.
  const clusterOf = placed.map((p, i) => (i < clustered.length ? chosen.assignment[i] : nearestCentroid(p.vector, chosen.centroids)));
  const longTotal = placed.reduce((s, p) => s + p.weight, 0);
  const shortTotal = placed.reduce((s, p) => s + (short.get(p.id) ?? 0), 0);
  const everything = placed.map((p) => ({ item: recordOf(input.items, p.id), weight: p.weight }));

  const interests = chosen.centroids.map((_, c) => {
    const members = placed.filter((_, i) => clusterOf[i] === c);
    const terms = distinctiveTerms(members.map((m) => ({ item: recordOf(input.items, m.id), weight: m.weight })), everything, input.catalogue);
    // The interest's face: heavy items close to its centre (weight × cosine), not merely the heaviest.
    const centre = chosen.centroids[c];
    const typical = [...members].sort((a, b) => typicality(b, centre) - typicality(a, centre) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const items = typical.slice(0, TOP_ITEMS).map((m) => profileItem(m.id, m.weight, input.items));
    const recentMass = members.reduce((s, m) => s + (short.get(m.id) ?? 0), 0);
    const geometry: InterestGeometry = {
      centroid: centre, members: members.map((m) => ({ id: m.id, weight: m.weight, cos: dot(m.vector, centre) })), recentMass,
    };
    const interest: Interest = {
      id: '',
      label: interestLabel(terms, items.map((i) => i.title ?? i.itemId)),
      terms,
      weight: members.reduce((s, m) => s + m.weight, 0) / longTotal,
      recentWeight: shortTotal > 0 ? recentMass / shortTotal : 0,
      size: members.length,
      items,
      muted: false,
      boost: 1,
    };
    return { interest, geometry };
  });
  return interests
    .filter(({ interest: i }) => i.size > 0)
    .sort((a, b) => b.interest.weight - a.interest.weight || a.interest.items[0].itemId.localeCompare(b.interest.items[0].itemId))
    .map(({ interest, geometry }, n) => ({ interest: { ...interest, id: String(n + 1) }, geometry }));
}

function term(
  decayed: { weights: Map<ItemId, number>; events: number }, vectors: InterestTerm['vectors'], halfLifeDays: number, window: number | undefined,
  items: ReadonlyMap<ItemId, Item>,
): InterestTerm {
  return {
    events: decayed.events,
    items: decayed.weights.size,
    halfLifeDays,
    ...(window !== undefined ? { window } : {}),
    vectors,
    top: byWeight(decayed.weights).slice(0, TOP_ITEMS).map(([id, w]) => profileItem(id, w, items)),
  };
}

function termVectors(spaces: readonly ItemSpace[], weights: Map<ItemId, number>, indexOf: (id: ItemId) => number | undefined): InterestTerm['vectors'] {
  const out: InterestTerm['vectors'] = {};
  for (const s of spaces) {
    const v = termVector(s, weights, indexOf);
    if (v && (s.kind === 'factors' || s.kind === 'text')) out[s.kind] = Array.from(v, (x) => Math.round(x * 1e6) / 1e6);
  }
  return out;
}

/** Unit weighted mean of the items' vectors; undefined when no item has one. */
function termVector(space: ItemSpace, weights: Map<ItemId, number>, indexOf: (id: ItemId) => number | undefined): Float32Array | undefined {
  const sum = new Float64Array(space.dims);
  let found = false;
  for (const [id, w] of weights) {
    const v = vectorOf(space, id, indexOf);
    if (!v) continue;
    found = true;
    for (let d = 0; d < v.length; d++) sum[d] += w * v[d];
  }
  return found ? unitVector(sum) : undefined;
}

function vectorOf(space: ItemSpace, id: ItemId, indexOf: (id: ItemId) => number | undefined): Float32Array | undefined {
  const i = indexOf(id);
  return i === undefined ? undefined : space.vector(i);
}

function typicality(p: { weight: number; vector: Float32Array }, centre: Float32Array): number {
  return p.weight * Math.max(0, dot(p.vector, centre));
}

function nearestCentroid(v: Float32Array, centroids: readonly Float32Array[]): number {
  let best = 0;
  centroids.forEach((c, j) => { if (dot(v, c) > dot(v, centroids[best])) best = j; });
  return best;
}

/** Heaviest first; equal weights in id order (deterministic). */
function byWeight(weights: Map<ItemId, number>): Array<[ItemId, number]> {
  return [...weights].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function recordOf(items: ReadonlyMap<ItemId, Item>, id: ItemId): Item {
  return items.get(id) ?? { id };
}

function profileItem(id: ItemId, weight: number, items: ReadonlyMap<ItemId, Item>): ProfileItem {
  const title = items.get(id)?.title;
  return { itemId: id, ...(title ? { title } : {}), weight };
}
