import { describe, expect, it } from 'vitest';
import { indexMask, topK } from './topk.js';

/** The obvious O(n log n) answer to compare against. */
function bySorting(scores: Float32Array, k: number, keep: (i: number) => boolean): Array<{ index: number; score: number }> {
  return Array.from(scores, (score, index) => ({ index, score }))
    .filter((s) => keep(s.index) && !Number.isNaN(s.score))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, k);
}

describe('topK', () => {
  it('selects the highest scores, sorted descending', () => {
    expect(topK(Float32Array.of(0.1, 0.9, 0.5, 0.7), 2)).toEqual([{ index: 1, score: expect.closeTo(0.9, 6) }, { index: 3, score: expect.closeTo(0.7, 6) }]);
  });

  it('breaks ties by the lower index, deterministically', () => {
    expect(topK(Float32Array.of(1, 2, 2, 2, 1), 2).map((s) => s.index)).toEqual([1, 2]);
    expect(topK(Float32Array.of(3, 3, 3, 3), 3).map((s) => s.index)).toEqual([0, 1, 2]);
  });

  it('considers only candidates (once each) and never excluded indexes', () => {
    const scores = Float32Array.of(5, 4, 3, 2, 1);
    expect(topK(scores, 5, { candidates: Int32Array.of(4, 2, 2, 0, 9, -1), exclude: Int32Array.of(0) }).map((s) => s.index)).toEqual([2, 4]);
  });

  it('keeps only scores strictly above a floor, and never NaN', () => {
    expect(topK(Float32Array.of(0, 1, Number.NaN, -1, 2), 5, { above: 0 }).map((s) => s.index)).toEqual([4, 1]);
    expect(topK(Float32Array.of(0, Number.NaN, -1), 5).map((s) => s.index)).toEqual([0, 2]);
  });

  it('handles k <= 0, k > n and empty input', () => {
    expect(topK(Float32Array.of(1, 2), 0)).toEqual([]);
    expect(topK(new Float32Array(0), 3)).toEqual([]);
    expect(topK(Float32Array.of(1, 2), 10).map((s) => s.index)).toEqual([1, 0]);
  });

  it('agrees with sorting on random scores with many ties', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(random() * 300);
      const scores = Float32Array.from({ length: n }, () => Math.floor(random() * 20) / 4);
      const k = 1 + Math.floor(random() * 40);
      const exclude = Int32Array.from({ length: 10 }, () => Math.floor(random() * n));
      const mask = indexMask(exclude, n);
      expect(topK(scores, k, { exclude })).toEqual(bySorting(scores, k, (i) => mask[i] === 0));
    }
  });

  it('gives the same answer for a few candidates of a large catalogue (sets) as for many (masks)', () => {
    let seed = 777;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const n = 5_000;
    const scores = Float32Array.from({ length: n }, () => Math.floor(random() * 40) / 4);
    for (const size of [10, 100, 1_000, 4_000]) {
      // duplicates, out-of-range indexes and excluded candidates included
      const candidates = Int32Array.from({ length: size }, () => Math.floor(random() * (n + 20)) - 10);
      const exclude = Int32Array.from({ length: 30 }, (_, j) => (j < 10 ? candidates[j] : Math.floor(random() * n)));
      const mask = indexMask(exclude, n);
      const inCandidates = new Set(Array.from(candidates));
      const expected = bySorting(scores, 25, (i) => inCandidates.has(i) && mask[i] === 0);
      expect(topK(scores, 25, { candidates, exclude })).toEqual(expected);
      expect(topK(scores, 25, { candidates: Int32Array.from(new Set(candidates)), distinctCandidates: true, exclude })).toEqual(expected);
    }
  });
});
