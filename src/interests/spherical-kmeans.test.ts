import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../models/linalg/random.js';
import { chooseClustering, sphericalKMeans, unitVector } from './spherical-kmeans.js';

/** Three tight groups on the axes of a 3-d space, 5 points each, jittered by a seeded RNG. */
function threeGroups(): { vectors: Float32Array[]; weights: number[] } {
  const rand = mulberry32(3);
  const vectors: Float32Array[] = [];
  for (let g = 0; g < 3; g++) {
    for (let j = 0; j < 5; j++) {
      const v = [0, 0, 0].map(() => (rand() - 0.5) * 0.2);
      v[g] += 1;
      vectors.push(unitVector(v));
    }
  }
  return { vectors, weights: vectors.map((_, i) => 1 + (i % 3)) };
}

const groupOf = (assignment: Int32Array): number[][] => [0, 5, 10].map((start) => [...assignment.subarray(start, start + 5)]);

describe('spherical k-means', () => {
  it('finds three clear groups, and chooses k = 3 by silhouette out of up to 5', () => {
    const points = threeGroups();
    const chosen = chooseClustering(points, { maxK: 5, seed: 42, minClusterSize: 2, minSilhouette: 0.02, minSpread: 0.05 });
    expect(chosen.centroids).toHaveLength(3);
    const groups = groupOf(chosen.assignment);
    for (const g of groups) expect(new Set(g).size).toBe(1);
    expect(new Set(groups.map((g) => g[0])).size).toBe(3);
    expect(chosen.silhouette).toBeGreaterThan(0.7);
  });

  it('keeps one cluster when the points are one tight group (a silhouette alone would split it)', () => {
    const rand = mulberry32(9);
    const vectors = Array.from({ length: 12 }, () => unitVector([1, (rand() - 0.5) * 0.01, (rand() - 0.5) * 0.01]));
    const chosen = chooseClustering({ vectors, weights: vectors.map(() => 1) }, { maxK: 4, seed: 42, minClusterSize: 2, minSilhouette: 0.02, minSpread: 0.05 });
    expect(chosen.centroids).toHaveLength(1);
    expect([...chosen.assignment]).toEqual(new Array(12).fill(0));
  });

  it('is deterministic: the same points and seed give the same clusters', () => {
    const a = sphericalKMeans(threeGroups(), 4, 7);
    const b = sphericalKMeans(threeGroups(), 4, 7);
    expect([...a.assignment]).toEqual([...b.assignment]);
    expect(a.centroids.map((c) => [...c])).toEqual(b.centroids.map((c) => [...c]));
    expect(a.inertia).toBe(b.inertia);
  });
});
