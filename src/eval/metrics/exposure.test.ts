import { describe, expect, it } from 'vitest';
import { catalogueCoverage, exposureCounts, giniIndex, listLongTailShare, listNovelty, listPopularity, longTailItems } from './exposure.js';

describe('exposure metrics, hand-computed', () => {
  const lists = [Int32Array.of(0, 1), Int32Array.of(1, 2)];

  it('counts exposure in the top k', () => {
    expect(Array.from(exposureCounts(lists, 4, 2))).toEqual([1, 2, 1, 0]);
    expect(Array.from(exposureCounts(lists, 4, 1))).toEqual([1, 1, 0, 0]);
  });

  it('catalogue coverage = distinct recommended / all items', () => {
    expect(catalogueCoverage(lists, 4, 2)).toBe(0.75);
    expect(catalogueCoverage(lists, 4, 1)).toBe(0.5);
  });

  it('gini index of exposure', () => {
    expect(giniIndex([1, 1, 1, 1])).toBe(0);
    // sorted [0,0,0,4]: (3·4) / (4·4)
    expect(giniIndex([4, 0, 0, 0])).toBe(0.75);
    // sorted [1,2,3,4]: (−3·1 − 1·2 + 1·3 + 3·4) / (4·10) = 10/40
    expect(giniIndex([3, 1, 4, 2])).toBe(0.25);
    expect(giniIndex([0, 0])).toBe(0);
  });

  it('novelty is mean −log2 of the share of training users, unseen items count once', () => {
    const itemUsers = Int32Array.of(4, 1, 0);
    // item 0: −log2(4/8) = 1; item 1: −log2(1/8) = 3; item 2 (never seen): −log2(1/8) = 3
    expect(listNovelty(Int32Array.of(0, 1), itemUsers, 8, 2)).toBe(2);
    expect(listNovelty(Int32Array.of(0, 1, 2), itemUsers, 8, 3)).toBeCloseTo(7 / 3, 12);
    expect(listNovelty(Int32Array.of(0, 1), itemUsers, 8, 1)).toBe(1);
  });

  it('average recommendation popularity', () => {
    expect(listPopularity(Int32Array.of(0, 1), Int32Array.of(4, 1), 2)).toBe(2.5);
    expect(listPopularity(Int32Array.of(), Int32Array.of(4, 1), 2)).toBe(0);
  });

  it('long tail = every item outside the most popular ones holding 80 % of interactions', () => {
    // 10 interactions: items 0 (6) and 1 (2) hold 8 = 80 %, so 2 and 3 are the tail
    expect(Array.from(longTailItems(Int32Array.of(6, 2, 1, 1)))).toEqual([0, 0, 1, 1]);
    // 6 of 10 is not yet 80 %: item 3 (3) joins the head, ties would go to the lower index
    expect(Array.from(longTailItems(Int32Array.of(6, 0, 1, 3)))).toEqual([0, 1, 1, 0]);
    expect(Array.from(longTailItems(Int32Array.of(5, 5), 0.5))).toEqual([0, 1]);
    // nobody trained: everything is tail
    expect(Array.from(longTailItems(Int32Array.of(0, 0)))).toEqual([1, 1]);
  });

  it('long-tail share of a list counts tail items in its top k', () => {
    const tail = Uint8Array.of(0, 0, 1, 1);
    expect(listLongTailShare(Int32Array.of(0, 2, 3), tail, 3)).toBeCloseTo(2 / 3, 12);
    expect(listLongTailShare(Int32Array.of(0, 2, 3), tail, 1)).toBe(0);
    expect(listLongTailShare(Int32Array.of(), tail, 3)).toBe(0);
  });
});
