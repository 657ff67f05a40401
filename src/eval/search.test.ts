import { describe, expect, it } from 'vitest';
import type { ParamSpace } from '../models/definition.js';
import { createRandom } from './random.js';
import { gridValues, sampleParam, searchTrials } from './search.js';

const space: Record<string, ParamSpace> = {
  lambda: { type: 'float', min: 10, max: 10_000, log: true },
  k: { type: 'int', min: 10, max: 50 },
  weighting: { type: 'choice', values: ['none', 'bm25'] },
};

describe('search spaces', () => {
  it('grid values: declared grid, choices, or 5 even points', () => {
    expect(gridValues({ type: 'int', min: 10, max: 50 })).toEqual([10, 20, 30, 40, 50]);
    expect(gridValues({ type: 'float', min: 1, max: 10_000, log: true })).toEqual([1, 10, 100, 1000, 10_000]);
    expect(gridValues({ type: 'float', min: 0, max: 1, grid: [0.1, 0.5] })).toEqual([0.1, 0.5]);
    expect(gridValues(space.weighting)).toEqual(['none', 'bm25']);
  });

  it('random draws stay in range and are log-spread when asked', () => {
    const rng = createRandom(3);
    const draws = Array.from({ length: 400 }, () => sampleParam(space.lambda, rng) as number);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...draws)).toBeLessThanOrEqual(10_000);
    // log-uniform: about a third of draws below 100 (uniform would give ~1%)
    const below = draws.filter((x) => x < 100).length / draws.length;
    expect(below).toBeGreaterThan(0.25);
    expect(below).toBeLessThan(0.42);
    const ints = Array.from({ length: 50 }, () => sampleParam(space.k, rng));
    expect(ints.every((v) => Number.isInteger(v) && (v as number) >= 10 && (v as number) <= 50)).toBe(true);
  });
});

describe('searchTrials', () => {
  it('random search starts from the defaults, keeps fixed params, is seeded', () => {
    const trials = searchTrials(space, { weighting: 'bm25' }, 'random', 6, 42);
    expect(trials).toHaveLength(6);
    expect(trials[0]).toEqual({ weighting: 'bm25' });
    for (const t of trials.slice(1)) {
      expect(t.weighting).toBe('bm25');
      expect(Object.keys(t).sort()).toEqual(['k', 'lambda', 'weighting']);
    }
    expect(searchTrials(space, { weighting: 'bm25' }, 'random', 6, 42)).toEqual(trials);
  });

  it('grid search enumerates the product, or a seeded subset of `trials` points', () => {
    const small = { weighting: space.weighting, k: { type: 'int', min: 10, max: 30, grid: [10, 30] } as ParamSpace };
    const all = searchTrials(small, {}, 'grid', 10, 1);
    expect(all).toHaveLength(4);
    expect(new Set(all.map((t) => JSON.stringify(t))).size).toBe(4);
    const some = searchTrials(space, {}, 'grid', 7, 1);
    expect(some).toHaveLength(7);
    expect(searchTrials(space, {}, 'grid', 7, 1)).toEqual(some);
  });

  it('one trial or nothing to search means just the given params', () => {
    expect(searchTrials(space, { lambda: 5 }, 'random', 1, 1)).toEqual([{ lambda: 5 }]);
    expect(searchTrials({}, { lambda: 5 }, 'grid', 10, 1)).toEqual([{ lambda: 5 }]);
  });
});
