import { describe, expect, it } from 'vitest';
import type { InterestGeometry } from './profile.js';
import type { Interest, InterestProfile } from './profile-types.js';
import type { ProfileState } from './profile-state.js';
import { withStableIds } from './stable-ids.js';

const interest = (id: string, label: string, extra: Partial<Interest> = {}): Interest => ({
  id, label, terms: [], weight: 0.5, recentWeight: 0.5, size: 2, items: [], muted: false, boost: 1, ...extra,
});

function built(groups: Array<{ label: string; items: string[]; centroid: number[] }>): { profile: InterestProfile; geometry: InterestGeometry[] } {
  return {
    profile: {
      userId: 'u', model: { name: 'als', version: 2 }, space: { kind: 'factors', source: 'als' }, events: 6,
      longTerm: { events: 6, items: 6, halfLifeDays: 365, vectors: {}, top: [] },
      shortTerm: { events: 6, items: 6, halfLifeDays: 7, window: 20, vectors: {}, top: [] },
      drift: 0, interests: groups.map((g, n) => interest(String(n + 1), g.label, { size: g.items.length })),
    },
    geometry: groups.map((g) => ({
      centroid: Float32Array.from(g.centroid), recentMass: 1, members: g.items.map((id) => ({ id, weight: 1, cos: 0.9 })),
    })),
  };
}

function previous(interests: Interest[], members: Record<string, string[]>): ProfileState {
  const b = built([]);
  return {
    format: 1, profile: { ...b.profile, model: { name: 'als', version: 1 }, interests },
    geometry: Object.fromEntries(interests.map((i) => [i.id, { centroid: [1, 0], mass: 1, recentMass: 1, radius: 0.45, members: members[i.id].map((m) => [m, 1] as [string, number]) }])),
    nextId: 8, lastEventMs: 0, sinceClustering: 3, novel: 1, recentEventIds: [],
  };
}

const at = { lastEventMs: 5, recentEventIds: ['e1'], vectorOf: (id: string) => (id.startsWith('x') ? Float32Array.of(0, 1) : undefined) };

describe('withStableIds', () => {
  it('numbers the interests of a first profile 1, 2, ... and sets the radius at half the low member cosine', () => {
    const s = withStableIds(built([{ label: 'A', items: ['a1', 'a2'], centroid: [1, 0] }, { label: 'B', items: ['b1', 'b2'], centroid: [0, 1] }]), undefined, at);
    expect(s.profile.interests.map((i) => i.id)).toEqual(['1', '2']);
    expect(s.nextId).toBe(3);
    expect(s.geometry['1']).toMatchObject({ mass: 2, radius: 0.45, members: [['a1', 1], ['a2', 1]] });
    expect(s).toMatchObject({ lastEventMs: 5, sinceClustering: 0, novel: 0, recentEventIds: ['e1'] });
  });

  it('carries ids, mutes and boosts to the new interest sharing most items; a new taste gets the next id', () => {
    const old = previous([interest('4', 'A', { muted: true }), interest('7', 'B', { boost: 2 })], { 4: ['a1', 'a2', 'a3'], 7: ['b1', 'b2'] });
    const s = withStableIds(built([
      { label: 'B', items: ['b1', 'b2', 'b3'], centroid: [0, 1] },
      { label: 'A', items: ['a1', 'a2'], centroid: [1, 0] },
      { label: 'C', items: ['c1', 'c2'], centroid: [-1, 0] },
    ]), old, at);
    expect(s.profile.interests.map((i) => [i.id, i.label, i.muted, i.boost])).toEqual([['7', 'B', false, 2], ['4', 'A', true, 1], ['8', 'C', false, 1]]);
    expect(s.nextId).toBe(9);
  });

  it('keeps a muted interest that matches nothing, placed again from its items; drops an unmatched plain one', () => {
    const old = previous([interest('2', 'X', { muted: true }), interest('3', 'Y')], { 2: ['x1', 'x2'], 3: ['y1', 'y2'] });
    const s = withStableIds(built([{ label: 'A', items: ['a1', 'a2'], centroid: [1, 0] }]), old, at);
    expect(s.profile.interests.map((i) => [i.id, i.label, i.muted, i.weight, i.size])).toEqual([['8', 'A', false, 0.5, 2], ['2', 'X', true, 0, 0]]);
    expect(s.geometry['2']).toMatchObject({ centroid: [0, 1], mass: 0, members: [['x1', 1], ['x2', 1]] });
  });
});
