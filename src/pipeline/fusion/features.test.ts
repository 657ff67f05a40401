import { describe, expect, it } from 'vitest';
import type { Candidate } from '../candidates.js';
import { candidateFeatures, featureNames } from './features.js';

function candidate(itemId: string, scores: Record<string, [number, number]>): Candidate {
  const entries = Object.entries(scores).map(([ch, [score, rank]]) => [ch, { score, rank, as: ch }]);
  return { itemId, via: Object.keys(scores)[0] ?? 'cf', score: 0, scores: Object.fromEntries(entries) };
}

describe('fusion features', () => {
  it('names each channel block then the global features', () => {
    expect(featureNames(['cf', 'popular'])).toEqual([
      'cf.recalled', 'cf.score', 'cf.rank', 'cf.rank-by-history',
      'popular.recalled', 'popular.score', 'popular.rank', 'popular.rank-by-history',
      'log-popularity', 'log-popularity-by-history', 'log-history', 'channels-recalled', 'short-term',
    ]);
  });

  it('min-max normalises scores per channel list, turns ranks into 1/log2(rank+2), and flags who recalled what', () => {
    // cf recalled a (score 4, rank 0) and b (score 2, rank 1); popular recalled b (rank 0) and c (rank 1).
    const cands = [candidate('a', { cf: [4, 0] }), candidate('b', { cf: [2, 1], popular: [10, 0] }), candidate('c', { popular: [6, 1] })];
    const x = candidateFeatures(cands, ['cf', 'popular'], { historyLength: Math.E - 1, popularity: [0, 10, 6], recent: [5, 1, NaN] });
    const row = (r: number) => Array.from(x.subarray(r * 13, r * 13 + 13));
    const log3 = 1 / Math.log2(3);
    // a: cf recalled at its best score and first rank; popular did not recall it; history log1p(e-1) = 1.
    // The short-term score (last feature) is min-max normalised over the candidates: a 5 -> 1, b 1 -> 0, c unknown -> 0.
    expect(row(0)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0.5, 1].map((v) => expect.closeTo(v, 12)));
    // b: cf's worst score (0) at rank 1; popular's best at rank 0; popularity log1p(10); both channels recalled it.
    expect(row(1)).toEqual([1, 0, log3, log3, 1, 1, 1, 1, Math.log1p(10), Math.log1p(10), 1, 1, 0].map((v) => expect.closeTo(v, 12)));
    expect(row(2)).toEqual([0, 0, 0, 0, 1, 0, log3, log3, Math.log1p(6), Math.log1p(6), 1, 0.5, 0].map((v) => expect.closeTo(v, 12)));
  });

  it('gives a channel that did not recall a candidate its model score on the same scale (below 0 under its list)', () => {
    const cands = [candidate('a', { cf: [4, 0] }), candidate('b', { cf: [2, 1] }), candidate('c', { popular: [5, 0] })];
    const x = candidateFeatures(cands, ['cf'], { historyLength: 0, popularity: [0, 0, 0], scored: { cf: [4, 2, 1] } });
    // c: cf's list runs from 2 to 4, so its score 1 normalises to -0.5; it is still not "recalled".
    expect(x[2 * 9]).toBe(0);
    expect(x[2 * 9 + 1]).toBeCloseTo(-0.5, 12);
  });

  it('ignores channels it was not given and leaves absent channels at zero', () => {
    const x = candidateFeatures([candidate('a', { 'item-to-item': [3, 0] })], ['cf'], { historyLength: 0, popularity: [0] });
    expect(Array.from(x)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
