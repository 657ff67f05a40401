import { describe, expect, it } from 'vitest';
import { checkerboard, checkerboardContent, fromDense, tinyRatings, userRow } from './fixtures.js';

describe('checkerboard', () => {
  it('is block-diagonal, withholds exactly one in-block item per user, and keeps cold items empty', () => {
    const { data, withheld, blockOfUser, blockOfItem } = checkerboard({ blocks: 2, usersPerBlock: 4, itemsPerBlock: 3, coldItems: 2 });
    expect(data.users.size).toBe(8);
    expect(data.items.size).toBe(8);
    for (let u = 0; u < 8; u++) {
      const row = Array.from(data.matrix.rowIndices(u));
      expect(row).toHaveLength(2);
      expect(row).not.toContain(withheld[u]);
      expect(blockOfItem[withheld[u]]).toBe(blockOfUser[u]);
      for (const i of row) expect(blockOfItem[i]).toBe(blockOfUser[u]);
      expect(data.sequences![u]).toHaveLength(2);
    }
    const columns = data.matrix.transpose();
    expect(columns.rowLength(6) + columns.rowLength(7)).toBe(0);
    expect(Array.from(blockOfItem.slice(6))).toEqual([-1, -1]);
  });
});

describe('checkerboardContent', () => {
  it('gives each block its own text direction and the cold item none of them', () => {
    const { data, blockOfItem } = checkerboard();
    const { embeddings, dimensions } = checkerboardContent();
    expect(dimensions).toBe(6);
    expect(embeddings).toHaveLength(data.items.size * 6);
    const row = (i: number): number[] => Array.from(embeddings.subarray(i * 6, (i + 1) * 6), (x) => +x.toFixed(6));
    expect(blockOfItem[7]).toBe(1);
    expect(row(7)).toEqual([0, 1, 0, 0, 0.2, 0]); // block 1, 7 % 3 = 1
    const cold = data.items.size - 1;
    expect(blockOfItem[cold]).toBe(-1);
    expect(row(cold)).toEqual([0, 0, 0, 1, 0, 0]); // item 18: 18 % 3 = 0
  });
});

describe('tinyRatings and fromDense', () => {
  it('tinyRatings is the documented 3 x 4 matrix with its sequences', () => {
    const data = tinyRatings();
    expect(Array.from(data.matrix.rowData(0))).toEqual([2, 1]);
    expect(Array.from(data.matrix.rowIndices(2))).toEqual([1, 2, 3]);
    expect(Array.from(data.sequences![1])).toEqual([2, 0]);
  });

  it('fromDense keeps non-zero cells and userRow copies a row', () => {
    const data = fromDense([[1, 0, 2], [0, 3, 0]]);
    expect(data.matrix.nnz).toBe(3);
    const row = userRow(data, 0);
    expect(Array.from(row.indices)).toEqual([0, 2]);
    expect(Array.from(row.values)).toEqual([1, 2]);
  });
});
