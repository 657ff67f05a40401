import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../../core/sparse.js';
import { chooseTrial, perUserNdcg } from './selection.js';

const users = (xs: number[]) => Float64Array.from(xs);

describe('chooseTrial', () => {
  it('keeps the defaults when the best draw leads by less than one paired standard error', () => {
    // differences 0.1, -0.1, 0.1, -0.1, 0.2: mean 0.04, sd 0.134, standard error 0.06
    const defaults = { perUser: users([0.5, 0.5, 0.5, 0.5, 0.5]), defaults: true };
    const lucky = { perUser: users([0.6, 0.4, 0.6, 0.4, 0.7]), defaults: false };
    expect(chooseTrial([defaults, lucky])).toEqual({ index: 0, chosenBy: 'defaults-within-noise' });
  });

  it('takes the draw that beats the defaults for nearly every user', () => {
    const defaults = { perUser: users([0.5, 0.4, 0.3, 0.5, 0.2]), defaults: true };
    const better = { perUser: users([0.6, 0.5, 0.5, 0.6, 0.3]), defaults: false };
    expect(chooseTrial([defaults, better])).toEqual({ index: 1, chosenBy: 'best' });
  });

  it('compares with the best of several models\' defaults, and picks the best mean when that is a default', () => {
    const weak = { perUser: users([0.1, 0.1, 0.1]), defaults: true };
    const strong = { perUser: users([0.5, 0.6, 0.7]), defaults: true };
    const draw = { perUser: users([0.2, 0.2, 0.2]), defaults: false };
    expect(chooseTrial([weak, strong, draw])).toEqual({ index: 1, chosenBy: 'best' });
  });
});

describe('perUserNdcg', () => {
  it('scores each user\'s list against their held-out items', () => {
    // user 0 holds out item 2, user 1 items 0 and 1
    const truth = CsrMatrix.fromTriplets(2, 3, [0, 1, 1], [2, 0, 1], [1, 1, 1]);
    const scores = perUserNdcg([Int32Array.from([2, 0]), Int32Array.from([2, 1])], Int32Array.from([0, 1]), truth, 10);
    expect(scores[0]).toBe(1);
    // one hit at rank 2 of two relevant: (1/log2 3) / (1 + 1/log2 3)
    expect(scores[1]).toBeCloseTo((1 / Math.log2(3)) / (1 + 1 / Math.log2(3)), 12);
  });
});
