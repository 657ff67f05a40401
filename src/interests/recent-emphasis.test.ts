import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_TYPES } from '../config/schema.js';
import { IdIndex } from '../core/ids.js';
import type { StoredEvent } from '../core/types.js';
import { buildLiveProfile } from './live-profile.js';
import { recencyMultipliers } from './recent-emphasis.js';

describe('recencyMultipliers', () => {
  it('is all ones without a share', () => {
    expect(recencyMultipliers([4, 4, 4], { share: 0, halfLife: 1, events: 0 })).toEqual([1, 1, 1]);
  });

  it('gives the recent part exactly `share` of the row and keeps its total weight', () => {
    // Four equal events, half-life 1: decays 1, 1/2, 1/4, 1/8 (sum 15/8); W = 4, share 0.5.
    const m = recencyMultipliers([1, 1, 1, 1], { share: 0.5, halfLife: 1, events: 0 });
    expect(m[0]).toBeCloseTo(0.5 + (0.5 * 1 * 4) / (15 / 8), 10); // 1.5667
    expect(m[3]).toBeCloseTo(0.5 + (0.5 * (1 / 8) * 4) / (15 / 8), 10); // 0.6333
    expect(m.reduce((s, x) => s + x, 0)).toBeCloseTo(4, 10);
  });

  it('does not fade as the history grows: the newest event keeps about `share` / Σdecay of the row', () => {
    const newestShare = (n: number) => recencyMultipliers(Array(n).fill(1), { share: 0.2, halfLife: 1, events: 0 })[0] / n;
    expect(newestShare(500)).toBeGreaterThan(0.1); // ≈ 0.2 · 1/2 + 0.8/500, where equal weights give 0.002
    expect(newestShare(500)).toBeCloseTo(newestShare(1000), 2);
  });
});

describe('buildLiveProfile with a short-term share', () => {
  const items = IdIndex.from(['a', 'b', 'c']);
  const like = (n: number, itemId: string): StoredEvent => ({ id: `e${n}`, userId: 'u', itemId, type: 'like', timestamp: new Date(Date.UTC(2024, 0, n)).toISOString() });

  it('weighs the newest event up and keeps the row total (history newest first)', () => {
    const history = [like(3, 'c'), like(2, 'b'), like(1, 'a')];
    const equal = buildLiveProfile(history, items, DEFAULT_EVENT_TYPES);
    const recent = buildLiveProfile(history, items, DEFAULT_EVENT_TYPES, { share: 0.5, halfLife: 1, events: 0 });
    const weightOf = (p: typeof equal, id: string) => p.row.values[Array.from(p.row.indices).indexOf(items.indexOf(id) ?? -1)];
    expect(weightOf(equal, 'c')).toBe(weightOf(equal, 'a'));
    expect(weightOf(recent, 'c')).toBeGreaterThan(weightOf(recent, 'b'));
    expect(weightOf(recent, 'b')).toBeGreaterThan(weightOf(recent, 'a'));
    const total = (p: typeof equal) => p.row.values.reduce((s, x) => s + x, 0);
    expect(total(recent)).toBeCloseTo(total(equal), 4);
  });

  it('builds the short-term row from the newest positive events only, halving per newer event', () => {
    const history = [like(4, 'c'), { ...like(3, 'b'), type: 'impression' }, like(2, 'b'), like(1, 'a')];
    const p = buildLiveProfile(history, items, DEFAULT_EVENT_TYPES, { share: 0, halfLife: 1, events: 2 });
    const w = 4; // a like's weight
    expect(Array.from(p.recentRow.indices)).toEqual([items.indexOf('b'), items.indexOf('c')]); // oldest first, as the row
    expect(Array.from(p.recentRow.values)).toEqual([w / 2, w]);
    expect(buildLiveProfile(history, items, DEFAULT_EVENT_TYPES).recentRow.indices).toHaveLength(0);
  });
});
