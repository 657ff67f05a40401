import { describe, expect, it } from 'vitest';
import { applyProfileChange, preferencesOf } from './profile-preferences.js';
import type { Interest } from './profile-types.js';
import type { ProfileState } from './profile-state.js';
import { profileStateOf } from '../testkit/profile-state.js';

const interest = (id: string, extra: Partial<Interest> = {}): Interest => ({
  id, label: id, terms: [], weight: 0.5, recentWeight: 0.5, size: 2, items: [], muted: false, boost: 1, ...extra,
});

/** Interest 1 on the x axis, interest 2 on the y axis, both with radius 0.5. */
function state(interests = [interest('1'), interest('2')]): ProfileState {
  return profileStateOf(interests, Object.fromEntries(interests.map((i) => [i.id, { centroid: i.id === '1' ? [1, 0] : [0, 1], mass: 1, recentMass: 1, radius: 0.5, members: [] }])));
}

describe('applyProfileChange', () => {
  it('mutes, boosts and resets by id', () => {
    const s = applyProfileChange(state(), { interests: [{ id: '1', mute: true }, { id: '2', boost: 1.5 }] });
    expect(s.profile.interests.map((i) => [i.id, i.muted, i.boost])).toEqual([['1', true, 1], ['2', false, 1.5]]);
    const r = applyProfileChange(s, { reset: true, interests: [{ id: '2', boost: 3 }] });
    expect(r.profile.interests.map((i) => [i.id, i.muted, i.boost])).toEqual([['1', false, 1], ['2', false, 3]]);
  });

  it('rejects an unknown id or a bad value with INVALID_INPUT naming the path, changing nothing', () => {
    const s = state();
    expect(() => applyProfileChange(s, { interests: [{ id: '1', mute: true }, { id: '9', mute: true }] })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: expect.objectContaining({ path: '/interests/1/id' }) }));
    expect(() => applyProfileChange(s, { interests: [{ id: '1', boost: 50 }] })).toThrow(expect.objectContaining({ details: expect.objectContaining({ path: '/interests/0/boost' }) }));
    expect(s.profile.interests.every((i) => !i.muted && i.boost === 1)).toBe(true);
  });

  it('drops an interest kept only for its setting once the setting is cleared', () => {
    const s = applyProfileChange(state([interest('1'), interest('2', { size: 0, weight: 0, muted: true })]), { interests: [{ id: '2', mute: false }] });
    expect(s.profile.interests.map((i) => i.id)).toEqual(['1']);
    expect(Object.keys(s.geometry)).toEqual(['1']);
  });
});

describe('preferencesOf', () => {
  const vectors: Record<string, Float32Array> = { x: Float32Array.of(0.9, 0.1), y: Float32Array.of(0.1, 0.9), far: Float32Array.of(0.4, -0.9) };
  const vectorOf = (id: string) => vectors[id];

  it('is undefined when nothing is muted or boosted', () => {
    expect(preferencesOf(state(), vectorOf)).toBeUndefined();
  });

  it('places an item in its nearest interest when within its radius', () => {
    const prefs = preferencesOf(applyProfileChange(state(), { interests: [{ id: '1', mute: true }, { id: '2', boost: 2 }] }), vectorOf);
    expect(prefs?.interestOf('x')).toBe('1');
    expect(prefs?.interestOf('y')).toBe('2');
    expect(prefs?.interestOf('far')).toBeUndefined(); // nearest is 1 (cos 0.4) but outside its radius 0.5
    expect(prefs?.interestOf('unknown')).toBeUndefined();
    expect([...(prefs?.muted ?? [])]).toEqual(['1']);
    expect([...(prefs?.boosts ?? [])]).toEqual([['2', 2]]);
  });
});
