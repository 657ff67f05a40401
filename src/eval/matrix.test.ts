import { describe, expect, it } from 'vitest';
import { RatingsTableBuilder } from './data/table.js';
import { buildInteractions, mergeSorted } from './matrix.js';

describe('buildInteractions', () => {
  const b = new RatingsTableBuilder();
  b.push('a', 'x', 5, 30);
  b.push('a', 'y', 3, 10);
  b.push('a', 'x', 4, 50);
  b.push('b', 'z', 1, 20);
  b.push('c', 'y', 2, 40);
  const t = b.build('toy');

  it('builds a binary matrix over the full index space from chosen rows', () => {
    const m = buildInteractions(t, Int32Array.of(0, 1, 2, 3));
    expect(m.matrix.rows).toBe(3);
    expect(m.matrix.cols).toBe(3);
    // user a: items x (0), y (1); repeated x collapses to one cell of 1 with the latest time
    expect(Array.from(m.matrix.rowIndices(0))).toEqual([0, 1]);
    expect(Array.from(m.matrix.rowData(0))).toEqual([1, 1]);
    expect(Array.from(m.times ?? [])).toEqual([50_000, 10_000, 20_000]);
    // user c has no chosen rows but keeps its (empty) row
    expect(m.matrix.rowLength(2)).toBe(0);
    expect(Array.from(m.sequences?.[0] ?? [])).toEqual([1, 0, 0]);
  });
});

describe('mergeSorted', () => {
  it('unions sorted lists without duplicates', () => {
    expect(Array.from(mergeSorted(Int32Array.of(1, 4, 9), Int32Array.of(2, 4, 10)))).toEqual([1, 2, 4, 9, 10]);
    expect(Array.from(mergeSorted(Int32Array.of(), Int32Array.of(3)))).toEqual([3]);
  });
});
