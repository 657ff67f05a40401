import { describe, expect, it } from 'vitest';
import { f1AtK, hitFlags, hitRateAtK, mapAtK, mrrAtK, ndcgAtK, precisionAtK, recallAtK } from './accuracy.js';

// One user: ranked list [5, 2, 9, 1, 7], relevant items {2, 7, 8} -> hits at ranks 2 and 5 (1-based).
const ranked = [5, 2, 9, 1, 7];
const relevant = Int32Array.of(2, 7, 8);
const hits = hitFlags(ranked, relevant);

describe('accuracy metrics, hand-computed', () => {
  it('marks hits', () => {
    expect(Array.from(hits)).toEqual([0, 1, 0, 0, 1]);
  });

  it('precision, recall, f1, hit @1 / @3 / @5', () => {
    expect(precisionAtK(hits, 1)).toBe(0);
    expect(precisionAtK(hits, 3)).toBeCloseTo(1 / 3, 12);
    expect(precisionAtK(hits, 5)).toBeCloseTo(0.4, 12);
    expect(recallAtK(hits, 3, 3)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(hits, 3, 5)).toBeCloseTo(2 / 3, 12);
    // F1@3 = 2·(1/3)(1/3)/(2/3) = 1/3; F1@5 = 2·0.4·(2/3)/(0.4 + 2/3) = 0.5
    expect(f1AtK(hits, 3, 1)).toBe(0);
    expect(f1AtK(hits, 3, 3)).toBeCloseTo(1 / 3, 12);
    expect(f1AtK(hits, 3, 5)).toBeCloseTo(0.5, 12);
    expect(hitRateAtK(hits, 1)).toBe(0);
    expect(hitRateAtK(hits, 3)).toBe(1);
  });

  it('MRR is one over the first hit rank', () => {
    expect(mrrAtK(hits, 1)).toBe(0);
    expect(mrrAtK(hits, 5)).toBe(0.5);
  });

  it('NDCG with binary gain and IDCG over min(#relevant, K)', () => {
    // IDCG@3 = IDCG@5 = 1 + 1/log2(3) + 1/log2(4) = 2.130930
    // DCG@3 = 1/log2(3) = 0.630930 -> 0.296082;  DCG@5 = 0.630930 + 1/log2(6) = 1.017783 -> 0.477624
    expect(ndcgAtK(hits, 3, 1)).toBe(0);
    expect(ndcgAtK(hits, 3, 3)).toBeCloseTo(0.296082, 5);
    expect(ndcgAtK(hits, 3, 5)).toBeCloseTo(0.477624, 5);
    // One relevant item at rank 1 is perfect; at rank 2 it is 1/log2(3)
    expect(ndcgAtK(Uint8Array.of(1, 0), 1, 2)).toBe(1);
    expect(ndcgAtK(Uint8Array.of(0, 1), 1, 2)).toBeCloseTo(0.630930, 5);
  });

  it("MAP is RecBole's: sum of precision@i at hits over min(#relevant, K)", () => {
    // @3: (1/2) / 3 = 0.166667; @5: (1/2 + 2/5) / 3 = 0.3
    expect(mapAtK(hits, 3, 3)).toBeCloseTo(1 / 6, 12);
    expect(mapAtK(hits, 3, 5)).toBeCloseTo(0.3, 12);
    // Fewer relevant items than K: denominator is #relevant. Hits at ranks 1 and 3, 2 relevant, K = 5: (1 + 2/3) / 2
    expect(mapAtK(Uint8Array.of(1, 0, 1, 0, 0), 2, 5)).toBeCloseTo(5 / 6, 12);
  });

  it('a list shorter than K counts the missing ranks as misses', () => {
    const short = hitFlags([2], relevant);
    expect(precisionAtK(short, 5)).toBeCloseTo(0.2, 12);
    expect(recallAtK(short, 3, 5)).toBeCloseTo(1 / 3, 12);
  });
});
