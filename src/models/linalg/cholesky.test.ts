import { describe, expect, it } from 'vitest';
import { choleskyInPlace, choleskySolveInPlace, invertSpd } from './cholesky.js';
import { balancedRanges } from './partition.js';

describe('small SPD routines', () => {
  it('factors and solves a hand-checked 2 x 2 system', () => {
    // A = [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]]; A x = (2, 5) has x = (-0.5, 2)
    const a = Float64Array.of(4, 2, 2, 3);
    expect(choleskyInPlace(a, 2)).toBe(true);
    expect([a[0], a[2], a[3]]).toEqual([2, 1, Math.SQRT2]);
    const b = Float64Array.of(2, 5);
    choleskySolveInPlace(a, 2, b);
    expect(b[0]).toBeCloseTo(-0.5, 12);
    expect(b[1]).toBeCloseTo(2, 12);
  });

  it('inverts SPD matrices and refuses indefinite ones', () => {
    const inv = invertSpd(Float64Array.of(4, 2, 2, 3), 2)!;
    // det 8: [[3, -2], [-2, 4]] / 8
    [3 / 8, -2 / 8, -2 / 8, 4 / 8].forEach((v, k) => expect(inv[k]).toBeCloseTo(v, 12));
    expect(invertSpd(Float64Array.of(1, 2, 2, 1), 2)).toBeUndefined();
  });
});

describe('balancedRanges', () => {
  it('splits by cost with aligned inner boundaries', () => {
    expect(balancedRanges(Float64Array.of(1, 1, 1, 1), 2)).toEqual([0, 2, 4]);
    expect(balancedRanges(Float64Array.of(10, 1, 1, 1, 1, 1), 2)).toEqual([0, 1, 6]);
    // triangular costs: the boundary lands near n/√2, rounded to a multiple of 4
    expect(balancedRanges(Float64Array.from({ length: 64 }, (_, i) => i + 1), 2, 4)).toEqual([0, 44, 64]);
    expect(balancedRanges(Float64Array.of(1), 3)).toEqual([0, 0, 1, 1]);
  });
});
