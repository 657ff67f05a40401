import { describe, expect, it } from 'vitest';
import { forEachSyntheticEvent, syntheticClusters, syntheticMatrix, type SyntheticLogSpec } from '../bench/synthetic/log.js';

const SMALL: SyntheticLogSpec = { name: 'small', users: 300, items: 2_000, events: 15_000, clusters: 10, popularityExponent: 0.9, tasteShare: 0.75, seed: 7 };

function events(spec: SyntheticLogSpec): number[][] {
  const out: number[][] = [];
  forEachSyntheticEvent(spec, (u, i, t) => out.push([u, i, t]));
  return out;
}

describe('synthetic benchmark log (bench/synthetic)', () => {
  it('is the same for a seed, different for another, and has exactly the asked shape', () => {
    const a = events(SMALL);
    expect(events(SMALL)).toEqual(a);
    expect(events({ ...SMALL, seed: 8 })).not.toEqual(a);
    expect(a).toHaveLength(SMALL.events);
    const pairs = new Set(a.map(([u, i]) => u * SMALL.items + i));
    expect(pairs.size).toBe(SMALL.events); // no user gets an item twice
    const users = new Set(a.map(([u]) => u));
    expect(users.size).toBe(SMALL.users); // every user has events
  });

  it('gives each user their events in time order', () => {
    const a = events(SMALL);
    for (let e = 1; e < a.length; e++) if (a[e][0] === a[e - 1][0]) expect(a[e][2]).toBeGreaterThan(a[e - 1][2]);
  });

  it('has power-law popularity: the top 1 % of items draw far more than 1 % of events', () => {
    const counts = new Array<number>(SMALL.items).fill(0);
    for (const [, i] of events(SMALL)) counts[i]++;
    counts.sort((x, y) => y - x);
    const top = counts.slice(0, SMALL.items / 100).reduce((s, c) => s + c, 0);
    expect(top / SMALL.events).toBeGreaterThan(0.08);
  });

  it('has clustered tastes: most of a user\'s events fall in their own favourite cluster', () => {
    const clusters = syntheticClusters(SMALL);
    const perUser = new Map<number, number[]>();
    for (const [u, i] of events(SMALL)) {
      const c = perUser.get(u) ?? new Array<number>(SMALL.clusters).fill(0);
      c[clusters[i]]++;
      perUser.set(u, c);
    }
    let topShare = 0;
    for (const c of perUser.values()) topShare += Math.max(...c) / c.reduce((s, x) => s + x, 0);
    // without tastes a user's top cluster would hold about 1/10 to 1/5 of their events
    expect(topShare / perUser.size).toBeGreaterThan(0.4);
  });

  it('builds the matrix with every user and item', () => {
    const { matrix } = syntheticMatrix(SMALL);
    expect(matrix.rows).toBe(SMALL.users);
    expect(matrix.cols).toBe(SMALL.items);
    expect(matrix.nnz).toBe(SMALL.events);
  });
});
