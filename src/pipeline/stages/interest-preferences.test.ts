import { describe, expect, it } from 'vitest';
import type { InterestPreferences } from '../../interests/profile-preferences.js';
import { fromChannel } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';
import { interestPreferencesStage } from './interest-preferences.js';

/** Items a* belong to interest A, b* to B, others to none. */
function ctx(muted: string[], boosts: Array<[string, number]>): RecommendContext {
  const interestPreferences: InterestPreferences = {
    interestOf: (id) => (id.startsWith('a') ? 'A' : id.startsWith('b') ? 'B' : undefined),
    muted: new Set(muted),
    boosts: new Map(boosts),
  };
  return { interestPreferences } as unknown as RecommendContext;
}

const list = fromChannel('cf', ['a1', 'n1', 'b1', 'n2', 'a2', 'b2'].map((itemId, i) => ({ itemId, score: 6 - i })));
const ids = async (c: RecommendContext) => (await interestPreferencesStage.run(list, c) as typeof list).map((x) => x.itemId);

describe('interest-preferences stage', () => {
  it('applies only to requests with preferences', () => {
    expect(interestPreferencesStage.applies?.({} as RecommendContext)).toBe(false);
    expect(interestPreferencesStage.applies?.(ctx(['A'], []))).toBe(true);
  });

  it('drops the items of a muted interest, keeping the order of the rest', async () => {
    expect(await ids(ctx(['A'], []))).toEqual(['n1', 'b1', 'n2', 'b2']);
  });

  it('moves a boosted interest up: position p is placed as p / boost, ties keep the fused order', async () => {
    // positions 1..6: a1 1, n1 2, b1 3/3 = 1, n2 4, a2 5, b2 6/3 = 2
    expect(await ids(ctx([], [['B', 3]]))).toEqual(['a1', 'b1', 'n1', 'b2', 'n2', 'a2']);
    // boost below 1 moves down: A at 1/0.5 = 2 (tied with n1, so it stays first) and 5/0.5 = 10 (last)
    expect(await ids(ctx([], [['A', 0.5]]))).toEqual(['a1', 'n1', 'b1', 'n2', 'b2', 'a2']);
  });

  it('mutes and boosts together (boost positions counted after the muted items leave)', async () => {
    // after muting: n1 1, b1 2/2 = 1 (tie: n1 first), n2 3, b2 4/2 = 2
    expect(await ids(ctx(['A'], [['B', 2]]))).toEqual(['n1', 'b1', 'b2', 'n2']);
  });
});
