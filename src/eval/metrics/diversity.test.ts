import { describe, expect, it } from 'vitest';
import { calibrationKl, genreMix } from './calibration.js';
import { categoryDiversity, embeddingDiversity, jaccard } from './diversity.js';

describe('intra-list diversity, hand-computed', () => {
  const cats = [['a', 'b'], ['b', 'c'], ['a', 'b'], []];

  it('jaccard', () => {
    expect(jaccard(['a', 'b'], ['b', 'c'])).toBeCloseTo(1 / 3, 12);
    expect(jaccard(['a'], ['a'])).toBe(1);
    expect(jaccard([], [])).toBe(0);
  });

  it('category ILD is the mean pairwise 1 − jaccard', () => {
    expect(categoryDiversity(Int32Array.of(0, 1), cats, 2)).toBeCloseTo(2 / 3, 12);
    // pairs (0,1): 2/3, (0,2): 0, (1,2): 2/3 -> mean 4/9
    expect(categoryDiversity(Int32Array.of(0, 1, 2), cats, 3)).toBeCloseTo(4 / 9, 12);
    // an item without categories is fully dissimilar: (0,3): 1
    expect(categoryDiversity(Int32Array.of(0, 3), cats, 2)).toBe(1);
    expect(categoryDiversity(Int32Array.of(0, 1, 2), cats, 1)).toBe(0);
  });

  it('embedding ILD is the mean pairwise 1 − cosine', () => {
    // e0 = (1,0), e1 = (0,1), e2 = (1,1)
    const v = Float32Array.of(1, 0, 0, 1, 1, 1);
    expect(embeddingDiversity(Int32Array.of(0, 1), v, 2, 2)).toBeCloseTo(1, 6);
    // (0,1): 1, (0,2): 1 − 1/√2, (1,2): 1 − 1/√2 -> (3 − √2) / 3
    expect(embeddingDiversity(Int32Array.of(0, 1, 2), v, 2, 3)).toBeCloseTo((3 - Math.SQRT2) / 3, 6);
  });
});

describe('calibration, hand-computed', () => {
  const cats = [['a'], ['a', 'b'], ['b'], []];

  it('genre mix spreads each item evenly over its genres', () => {
    const mix = genreMix(Int32Array.of(0, 1, 3), cats);
    expect(mix.get('a')).toBeCloseTo(0.75, 12);
    expect(mix.get('b')).toBeCloseTo(0.25, 12);
  });

  it('KL(p ‖ (1−α)q + αp) with α = 0.01', () => {
    // history p = {a: .75, b: .25}; list [1] -> q = {a: .5, b: .5}
    // KL = .75·ln(.75/.5025) + .25·ln(.25/.4975) = 0.300358 − 0.172034 = 0.128325
    expect(calibrationKl(Int32Array.of(0, 1), Int32Array.of(1), cats, 1)).toBeCloseTo(0.128325, 5);
    // a list with exactly the history's mix is calibrated
    expect(calibrationKl(Int32Array.of(0, 2), Int32Array.of(1), cats, 1)).toBeCloseTo(0, 12);
    // a list with none of the history's genres: ln(1/0.01)
    expect(calibrationKl(Int32Array.of(0), Int32Array.of(2), cats, 1)).toBeCloseTo(Math.log(100), 9);
    expect(calibrationKl(Int32Array.of(3), Int32Array.of(0), cats, 1)).toBeUndefined();
  });
});
