import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../core/sparse.js';
import { csrItemItemScorer } from './csr-block-scorer.js';

// users: 0 has items 0 (weight 2) and 1 (weight 1); 1 has item 2 (weight 3); 2 has nothing
const userItems = CsrMatrix.fromTriplets(3, 3, [0, 0, 1], [0, 1, 2], [2, 1, 3]);
// item 0 adds 0.5 to item 1 and 0.25 to item 2; item 1 adds 1 to item 2; item 2 adds 2 to item 0
const weights = CsrMatrix.fromTriplets(3, 3, [0, 0, 1, 2], [1, 2, 2, 0], [0.5, 0.25, 1, 2]);

describe('csrItemItemScorer (history · W for a CSR item × item W)', () => {
  it('scores each user row as the weighted sum of its history items\' rows', () => {
    const out = new Float32Array(9).fill(7); // stale values must be overwritten
    csrItemItemScorer({ userItems, weights }).scoreBlock(Int32Array.of(0, 1, 2), out);
    expect(Array.from(out)).toEqual([0, 1, 1.5, 6, 0, 0, 0, 0, 0]);
  });

  it('counts every history item 1 when binary, and divides by the summed weights when normalize', () => {
    const out = new Float32Array(6);
    csrItemItemScorer({ userItems, weights, binary: true }).scoreBlock(Int32Array.of(1, 0), out);
    expect(Array.from(out)).toEqual([2, 0, 0, 0, 0.5, 1.25]);
    csrItemItemScorer({ userItems, weights, normalize: true }).scoreBlock(Int32Array.of(0), out);
    // item 1: 2·0.5 / 0.5; item 2: (2·0.25 + 1·1) / 1.25
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 2, Math.fround(1.5 / 1.25)]);
  });

  it('keeps only items some history item reached (floor 0) unless told otherwise', () => {
    expect(csrItemItemScorer({ userItems, weights }).above).toBe(0);
    expect(csrItemItemScorer({ userItems, weights, above: -Infinity }).above).toBe(-Infinity);
  });
});
