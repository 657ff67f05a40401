import { describe, expect, it } from 'vitest';
import { withShortTermSlot } from './short-term-slot.js';

const list = (...indexes: number[]) => indexes.map((index, n) => ({ index, score: 10 - n }));

describe('withShortTermSlot', () => {
  it("places the short-term list's best new item at the slot, with the displaced item's score", () => {
    expect(withShortTermSlot(list(1, 2, 3, 4), list(9, 1), 3)).toEqual([
      { index: 1, score: 10 }, { index: 2, score: 9 }, { index: 9, score: 8 }, { index: 3, score: 8 }, { index: 4, score: 7 },
    ]);
  });

  it('skips short-term items already above the slot and moves one found lower up to it', () => {
    expect(withShortTermSlot(list(1, 2, 3, 4), list(1, 4), 2).map((s) => s.index)).toEqual([1, 4, 2, 3]);
  });

  it('leaves the list alone when the slot is off or nothing is new', () => {
    expect(withShortTermSlot(list(1, 2, 3), list(9), 0).map((s) => s.index)).toEqual([1, 2, 3]);
    expect(withShortTermSlot(list(1, 2, 3), list(1, 2), 3).map((s) => s.index)).toEqual([1, 2, 3]);
    expect(withShortTermSlot(list(1, 2, 3), [], 3).map((s) => s.index)).toEqual([1, 2, 3]);
  });

  it('appends when the main list is shorter than the slot', () => {
    expect(withShortTermSlot(list(1), list(7), 3)).toEqual([{ index: 1, score: 10 }, { index: 7, score: 10 }]);
  });
});
