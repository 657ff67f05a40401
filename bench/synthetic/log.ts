/**
 * A seeded synthetic interaction log for benchmarks at sizes the public datasets here do not reach: power-law item
 * popularity, clustered tastes (each user keeps to a few item clusters and wanders between them in runs, so order
 * carries signal), power-law user activity, and timestamps. The same spec and seed always give the same events.
 */
import { InteractionsBuilder } from '../../src/models/interactions-builder.js';
import type { InteractionMatrix } from '../../src/core/interactions.js';
import { mulberry32 } from '../../src/models/linalg/random.js';

export interface SyntheticLogSpec {
  name: string;
  users: number;
  items: number;
  /** Events to draw; a user never gets the same item twice, so the log has this many distinct (user, item) pairs. */
  events: number;
  /** Taste clusters; each item belongs to one. */
  clusters: number;
  /** Zipf exponent of item popularity (rank r drawn ∝ r^−s). */
  popularityExponent: number;
  /** Share of a user's events drawn from their favourite clusters; the rest follow global popularity. */
  tasteShare: number;
  seed: number;
}

/** The three sizes issue 15 asks for (ML-1M's and ML-20M's user/item/event counts; a 100k-item shop catalogue). */
export const SYNTHETIC_SIZES = {
  'ml1m': { name: 'synthetic-ml1m', users: 6_040, items: 3_706, events: 1_000_209, clusters: 40, popularityExponent: 0.9, tasteShare: 0.75, seed: 1 },
  'items100k': { name: 'synthetic-100k-items', users: 100_000, items: 100_000, events: 5_000_000, clusters: 400, popularityExponent: 0.8, tasteShare: 0.75, seed: 2 },
  'ml20m': { name: 'synthetic-ml20m', users: 138_493, items: 26_744, events: 20_000_263, clusters: 120, popularityExponent: 0.9, tasteShare: 0.75, seed: 3 },
} satisfies Record<string, SyntheticLogSpec>;

export type SyntheticSize = keyof typeof SYNTHETIC_SIZES;

/** One event: dense user and item numbers and a time in ms since the epoch. */
export type SyntheticEventFn = (user: number, item: number, timeMs: number) => void;

const LOG_START_MS = Date.UTC(2024, 0, 1);
const LOG_SPAN_MS = 2 * 365 * 86_400_000;
/** Chance that a user's next event stays in the cluster of their last one (runs give sequence models signal). */
const STAY_IN_CLUSTER = 0.7;

/** Cumulative Zipf weights 1^−s, 2^−s, …, n^−s (unnormalised). */
function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += (r + 1) ** -s;
  return cdf;
}

/** Index of the first cdf entry above u · total (binary search). */
function drawFrom(cdf: Float64Array, u: number): number {
  const target = u * cdf[cdf.length - 1];
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Each user's event count: power-law activity (Zipf over users, shuffled), at least 5, summing to `events`. */
function userActivity(spec: SyntheticLogSpec, rand: () => number): Int32Array {
  const maxPerUser = Math.min(Math.floor(spec.items * 0.6), Math.max(20, Math.floor(spec.events / spec.users) * 30));
  const weights = Float64Array.from({ length: spec.users }, (_, u) => (u + 1) ** -0.6);
  for (let i = weights.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [weights[i], weights[j]] = [weights[j], weights[i]];
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const floor = Math.min(5, Math.floor(spec.events / spec.users));
  const counts = Int32Array.from(weights, (w) => Math.min(maxPerUser, floor + Math.floor((spec.events - floor * spec.users) * w / total)));
  // hand out what rounding and the cap left over, one event at a time to users below the cap
  let left = spec.events - counts.reduce((a, b) => a + b, 0);
  for (let u = 0; left > 0; u = (u + 1) % spec.users) {
    if (counts[u] < maxPerUser) {
      counts[u]++;
      left--;
    }
  }
  return counts;
}

/** Item i's popularity rank and taste cluster; clusters are drawn independently of rank, so every cluster has a head. */
function catalogue(spec: SyntheticLogSpec, rand: () => number): { itemAtRank: Int32Array; clusterOf: Int32Array } {
  const itemAtRank = Int32Array.from({ length: spec.items }, (_, i) => i);
  for (let i = spec.items - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [itemAtRank[i], itemAtRank[j]] = [itemAtRank[j], itemAtRank[i]];
  }
  const clusterOf = Int32Array.from({ length: spec.items }, () => Math.floor(rand() * spec.clusters));
  return { itemAtRank, clusterOf };
}

/**
 * Each item's taste cluster, as the log draws it (for tests and for judging a model's neighbours).
 *
 * @example syntheticClusters(SYNTHETIC_SIZES.ml1m)[0] // the cluster of item i0
 */
export function syntheticClusters(spec: SyntheticLogSpec): Int32Array {
  return catalogue(spec, mulberry32(spec.seed)).clusterOf;
}

/**
 * Calls `fn` for every event of the log, user by user, each user's events in time order. Memory: the item tables
 * (O(items)) and one user's items at a time, so even the 20M-event size streams.
 *
 * @example forEachSyntheticEvent(SYNTHETIC_SIZES.ml1m, (u, i, t) => rows.push([u, i, t]))
 */
export function forEachSyntheticEvent(spec: SyntheticLogSpec, fn: SyntheticEventFn): void {
  const rand = mulberry32(spec.seed);
  const { itemAtRank, clusterOf } = catalogue(spec, rand);
  const members: number[][] = Array.from({ length: spec.clusters }, () => []);
  for (let r = 0; r < spec.items; r++) members[clusterOf[itemAtRank[r]]].push(itemAtRank[r]); // most popular first
  const clusterCdf = members.map((m) => zipfCdf(Math.max(1, m.length), spec.popularityExponent));
  const globalCdf = zipfCdf(spec.items, spec.popularityExponent);
  const clusterPopularity = zipfCdf(spec.clusters, 0.5);
  const activity = userActivity(spec, rand);
  const seen = new Set<number>();
  for (let u = 0; u < spec.users; u++) {
    const favourites = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => drawFrom(clusterPopularity, rand()));
    let current = favourites[0];
    let t = LOG_START_MS + rand() * LOG_SPAN_MS * 0.8;
    seen.clear();
    for (let e = 0; e < activity[u]; e++) {
      if (rand() >= STAY_IN_CLUSTER) current = favourites[Math.floor(rand() * favourites.length)];
      let item = -1;
      for (let attempt = 0; attempt < 20 && (item < 0 || seen.has(item)); attempt++) {
        const m = members[current];
        item = rand() < spec.tasteShare && m.length > 0 ? m[drawFrom(clusterCdf[current], rand())] : itemAtRank[drawFrom(globalCdf, rand())];
      }
      // a heavy user can exhaust the draws: fall back to the next unseen item in popularity order
      for (let r = 0; seen.has(item); r++) item = itemAtRank[r];
      seen.add(item);
      t += -Math.log(1 - rand()) * 3_600_000; // exponential gaps, one hour on average
      fn(u, item, Math.round(t));
    }
  }
}

/**
 * The log as an InteractionMatrix (users `u<n>`, items `i<n>`, weight 1, with times), for model and eval benchmarks.
 *
 * @example const data = syntheticMatrix(SYNTHETIC_SIZES.ml1m)
 */
export function syntheticMatrix(spec: SyntheticLogSpec): InteractionMatrix {
  const builder = new InteractionsBuilder({ capacity: spec.events, items: Array.from({ length: spec.items }, (_, i) => `i${i}`) });
  forEachSyntheticEvent(spec, (u, i, t) => builder.add(`u${u}`, `i${i}`, 1, t));
  return builder.build();
}
