import { mulberry32 } from '../models/linalg/random.js';

/** Points to cluster: unit vectors with a positive weight each. */
export interface WeightedPoints {
  vectors: readonly Float32Array[];
  weights: readonly number[];
}

export interface Clustering {
  /** Cluster of each point, 0..k-1. */
  assignment: Int32Array;
  /** Unit centroid of each cluster. */
  centroids: Float32Array[];
  /** Σ w_i (1 − cos(x_i, centroid)): lower is tighter. */
  inertia: number;
}

export interface ChooseKOptions {
  maxK: number;
  seed: number;
  /** A split is kept only when every cluster holds at least this many points. */
  minClusterSize: number;
  /** The best split's weighted silhouette must reach this, else the points stay one cluster. */
  minSilhouette: number;
  /**
   * Weighted mean cosine distance to the common centre below which the points are one taste and are not split (the
   * silhouette is scale-free: it would happily split a tight blob in two).
   */
  minSpread: number;
  /** Seedings tried per k (the tightest wins). */
  restarts?: number;
}

export interface ChosenClustering extends Clustering {
  /** Weighted mean silhouette of the chosen split (0 for one cluster). */
  silhouette: number;
}

const MAX_ITERATIONS = 30;

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let d = 0; d < a.length; d++) s += a[d] * b[d];
  return s;
}

/** The vector scaled to unit length (zeros stay zeros). */
export function unitVector(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  const n = Math.sqrt(dot(out, out));
  if (n > 0) for (let d = 0; d < out.length; d++) out[d] /= n;
  return out;
}

/** Unit weighted mean of the points given by `members` (all points when omitted). */
export function weightedMean(points: WeightedPoints, members?: readonly number[]): Float32Array {
  const dims = points.vectors[0]?.length ?? 0;
  const sum = new Float64Array(dims);
  for (const i of members ?? points.vectors.keys()) {
    const v = points.vectors[i];
    for (let d = 0; d < dims; d++) sum[d] += points.weights[i] * v[d];
  }
  return unitVector(sum);
}

/**
 * Weighted spherical k-means (cosine similarity, unit centroids) seeded by k-means++ from a seeded RNG, so the same
 * points, weights and seed always give the same clusters. An emptied cluster is re-seeded with the worst-fitting point.
 *
 * @example sphericalKMeans({ vectors, weights }, 3, 42).assignment
 */
export function sphericalKMeans(points: WeightedPoints, k: number, seed: number): Clustering {
  const n = points.vectors.length;
  const dims = points.vectors[0]?.length ?? 0;
  const centroids = seedCentroids(points, Math.min(k, n), mulberry32(seed));
  const assignment = new Int32Array(n).fill(-1);
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const c = nearest(points.vectors[i], centroids);
      if (c !== assignment[i]) { assignment[i] = c; changed = true; }
    }
    const sums = centroids.map(() => new Float64Array(dims));
    const sizes = new Int32Array(centroids.length);
    for (let i = 0; i < n; i++) {
      const sum = sums[assignment[i]];
      const v = points.vectors[i];
      const w = points.weights[i];
      sizes[assignment[i]]++;
      for (let d = 0; d < dims; d++) sum[d] += w * v[d];
    }
    for (let c = 0; c < centroids.length; c++) {
      if (sizes[c] > 0) { centroids[c] = unitVector(sums[c]); continue; }
      const worst = worstFitting(points, assignment, centroids);
      assignment[worst] = c;
      centroids[c] = Float32Array.from(points.vectors[worst]);
      changed = true;
    }
    if (!changed) break;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += points.weights[i] * (1 - dot(points.vectors[i], centroids[assignment[i]]));
  return { assignment, centroids, inertia };
}

/**
 * Up to `maxK` clusters: every k from 2 to maxK is clustered (best of a few seedings) and scored by its weighted
 * silhouette over cosine distances; the best k is kept when its silhouette reaches `minSilhouette` and each cluster
 * holds `minClusterSize` points, else all points form one cluster. The silhouette compares how close points are to
 * their own cluster against the next one; being scale-free, it is only asked when the points spread at least
 * `minSpread` (weighted mean 1 − cos to their centre), so a single tight taste is never split.
 *
 * @example chooseClustering(points, { maxK: 4, seed: 42, minClusterSize: 2, minSilhouette: 0.05, minSpread: 0.05 }).centroids.length
 */
export function chooseClustering(points: WeightedPoints, opts: ChooseKOptions): ChosenClustering {
  const n = points.vectors.length;
  const centre = weightedMean(points);
  let inertia = 0;
  let mass = 0;
  points.vectors.forEach((v, i) => { inertia += points.weights[i] * (1 - dot(v, centre)); mass += points.weights[i]; });
  const one: ChosenClustering = { assignment: new Int32Array(n), centroids: [centre], inertia, silhouette: 0 };
  if (n < 2 * opts.minClusterSize || opts.maxK < 2 || !(mass > 0) || inertia / mass < opts.minSpread) return one;
  const distances = pairwiseDistances(points.vectors);
  let best: ChosenClustering | undefined;
  for (let k = 2; k <= opts.maxK && k * opts.minClusterSize <= n; k++) {
    let tightest: Clustering | undefined;
    for (let r = 0; r < (opts.restarts ?? 2); r++) {
      const c = sphericalKMeans(points, k, opts.seed + 7919 * r + k);
      if (!tightest || c.inertia < tightest.inertia - 1e-12) tightest = c;
    }
    if (!tightest || !sizesAtLeast(tightest.assignment, k, opts.minClusterSize)) continue;
    const silhouette = weightedSilhouette(distances, n, points.weights, tightest.assignment, k);
    if (!best || silhouette > best.silhouette + 1e-12) best = { ...tightest, silhouette };
  }
  return best && best.silhouette >= opts.minSilhouette ? best : one;
}

/** Weighted mean silhouette (Rousseeuw 1987) over a precomputed n × n distance matrix; points alone in a cluster score 0. */
export function weightedSilhouette(distances: Float32Array, n: number, weights: readonly number[], assignment: Int32Array, k: number): number {
  let total = 0;
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    const sum = new Float64Array(k);
    const mass = new Float64Array(k);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      sum[assignment[j]] += weights[j] * distances[i * n + j];
      mass[assignment[j]] += weights[j];
    }
    const own = assignment[i];
    let s = 0;
    if (mass[own] > 0) {
      const a = sum[own] / mass[own];
      let b = Infinity;
      for (let c = 0; c < k; c++) if (c !== own && mass[c] > 0) b = Math.min(b, sum[c] / mass[c]);
      const m = Math.max(a, b);
      s = Number.isFinite(b) && m > 0 ? (b - a) / m : 0;
    }
    total += weights[i] * s;
    weightSum += weights[i];
  }
  return weightSum > 0 ? total / weightSum : 0;
}

function pairwiseDistances(vectors: readonly Float32Array[]): Float32Array {
  const n = vectors.length;
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.max(0, 1 - dot(vectors[i], vectors[j]));
      out[i * n + j] = d;
      out[j * n + i] = d;
    }
  }
  return out;
}

/** k-means++: each next seed is drawn with probability ∝ weight × (1 − cos to the nearest seed)². */
function seedCentroids(points: WeightedPoints, k: number, rand: () => number): Float32Array[] {
  const n = points.vectors.length;
  const seeds: Float32Array[] = [Float32Array.from(points.vectors[draw(points.weights, rand)])];
  const nearestDistance = points.vectors.map((v) => 1 - dot(v, seeds[0]));
  while (seeds.length < k) {
    const scores = points.weights.map((w, i) => w * Math.max(0, nearestDistance[i]) ** 2);
    const pick = scores.some((s) => s > 0) ? draw(scores, rand) : seeds.length % n;
    const seed = Float32Array.from(points.vectors[pick]);
    seeds.push(seed);
    for (let i = 0; i < n; i++) nearestDistance[i] = Math.min(nearestDistance[i], 1 - dot(points.vectors[i], seed));
  }
  return seeds;
}

function draw(scores: readonly number[], rand: () => number): number {
  const total = scores.reduce((s, x) => s + x, 0);
  let target = rand() * total;
  for (let i = 0; i < scores.length; i++) {
    target -= scores[i];
    if (target < 0) return i;
  }
  return scores.length - 1;
}

function nearest(v: Float32Array, centroids: readonly Float32Array[]): number {
  let best = 0;
  let bestScore = -Infinity;
  centroids.forEach((c, j) => {
    const s = dot(v, c);
    if (s > bestScore + 1e-12) { best = j; bestScore = s; }
  });
  return best;
}

function worstFitting(points: WeightedPoints, assignment: Int32Array, centroids: readonly Float32Array[]): number {
  let worst = 0;
  let worstScore = Infinity;
  points.vectors.forEach((v, i) => {
    const c = centroids[assignment[i]];
    const s = c ? dot(v, c) : -Infinity;
    if (s < worstScore) { worst = i; worstScore = s; }
  });
  return worst;
}

function sizesAtLeast(assignment: Int32Array, k: number, min: number): boolean {
  const sizes = new Int32Array(k);
  for (const a of assignment) sizes[a]++;
  return sizes.every((s) => s >= min);
}
