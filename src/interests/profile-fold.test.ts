import { describe, expect, it } from 'vitest';
import { DEFAULT_INTEREST_OPTIONS, type Interest } from './profile-types.js';
import { CLUSTER_AGAIN_EVERY, foldEvent, needsClustering } from './profile-fold.js';
import type { ProfileState } from './profile-state.js';
import { profileStateOf } from '../testkit/profile-state.js';

const interest = (id: string, weight: number, size: number): Interest => ({
  id, label: id, terms: [], weight, recentWeight: weight, size, items: [], muted: false, boost: 1,
});

/** Two interests on the x and y axes, masses 3 and 1, radius 0.5. */
function state(): ProfileState {
  return profileStateOf([interest('1', 0.75, 3), interest('2', 0.25, 1)], {
    '1': { centroid: [1, 0], mass: 3, recentMass: 3, radius: 0.5, members: [['a', 1], ['b', 1], ['c', 1]] },
    '2': { centroid: [0, 1], mass: 1, recentMass: 1, radius: 0.5, members: [['d', 1]] },
  });
}

const noDecay = { ...DEFAULT_INTEREST_OPTIONS, longHalfLifeDays: 0, shortHalfLifeDays: 0 };

describe('foldEvent', () => {
  it('adds the item to its nearest interest, moves that centre towards it and renormalises weights', () => {
    const s = foldEvent(state(), { id: 'e1', itemId: 'e', weight: 2, timeMs: 1000, vector: Float32Array.of(0.6, 0.8) }, noDecay);
    // nearest: interest 2 (cos 0.8 vs 0.6); centre = unit(1·(0,1) + 2·(0.6,0.8)) = unit(1.2, 2.6)
    const n = Math.hypot(1.2, 2.6);
    expect(s.geometry['2'].centroid[0]).toBeCloseTo(1.2 / n, 5);
    expect(s.geometry['2'].centroid[1]).toBeCloseTo(2.6 / n, 5);
    expect(s.geometry['2'].mass).toBe(3);
    expect(s.profile.interests.map((i) => [i.id, i.size, i.weight])).toEqual([['1', 3, 0.5], ['2', 2, 0.5]]);
    expect(s.profile.events).toBe(5);
    expect(s.novel).toBe(0);
  });

  it('ignores an event it has folded before', () => {
    const e = { id: 'e1', itemId: 'e', weight: 2, timeMs: 1000, vector: Float32Array.of(0, 1) };
    const once = foldEvent(state(), e, noDecay);
    const twice = foldEvent(structuredClone(once), e, noDecay);
    expect(twice).toEqual(once);
  });

  it('decays every mass by the time since the last event (half-lives in days)', () => {
    const opts = { ...DEFAULT_INTEREST_OPTIONS, longHalfLifeDays: 10, shortHalfLifeDays: 1 };
    const s = foldEvent(state(), { id: 'e1', itemId: 'a', weight: 1, timeMs: 10 * 86_400_000, vector: Float32Array.of(1, 0) }, opts);
    expect(s.geometry['2'].mass).toBeCloseTo(0.5, 10); // 10 days = one long half-life
    expect(s.geometry['2'].recentMass).toBeCloseTo(2 ** -10, 10);
    expect(s.geometry['1'].mass).toBeCloseTo(1.5 + 1, 10);
    expect(s.profile.interests[0].size).toBe(3); // 'a' was a member already
  });

  it('counts items far from every interest as novel and asks for clustering after three, or after 25 events', () => {
    let s = state();
    for (let n = 0; n < 3; n++) s = foldEvent(s, { id: `n${n}`, itemId: `x${n}`, weight: 1, timeMs: 1, vector: Float32Array.of(-0.6, -0.8) }, noDecay);
    expect(s.novel).toBe(3);
    expect(needsClustering(s)).toBe(true);
    let t = state();
    for (let n = 0; n < CLUSTER_AGAIN_EVERY; n++) {
      expect(needsClustering(t)).toBe(false);
      t = foldEvent(t, { id: `e${n}`, itemId: 'a', weight: 1, timeMs: 1, vector: Float32Array.of(1, 0) }, noDecay);
    }
    expect(needsClustering(t)).toBe(true);
  });
});
