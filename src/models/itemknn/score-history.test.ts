import { describe, expect, it } from 'vitest';
import type { SparseRow } from '../../core/sparse.js';
import { topK } from '../topk.js';
import { ReachedScores, type NeighbourRows } from './score-history.js';

/** A random sparse neighbour table: `rows` items, each reaching up to `width` others with weights in (-0.2, 1). */
function randomRows(rows: number, width: number, random: () => number): NeighbourRows {
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < rows; i++) {
    const cols = new Set(Array.from({ length: Math.floor(random() * width) }, () => Math.floor(random() * rows)));
    for (const j of [...cols].sort((a, b) => a - b)) {
      indices.push(j);
      data.push(random() * 1.2 - 0.2);
    }
    indptr[i + 1] = indices.length;
  }
  return { rows, indptr, indices: Int32Array.from(indices), data: Float32Array.from(data) };
}

function randomRow(rows: number, size: number, random: () => number): SparseRow {
  const items = [...new Set(Array.from({ length: size }, () => Math.floor(random() * rows)))].sort((a, b) => a - b);
  return { indices: Int32Array.from(items), values: Float32Array.from(items, () => 1 + Math.floor(random() * 4)) };
}

/** The scores by the formula, over a catalogue-long array: Σ_i w_i sim(i, j), over Σ_i sim(i, j) when normalising. */
function denseScores(scoring: NeighbourRows, row: SparseRow, normalize: boolean): Float32Array {
  const scores = new Float32Array(scoring.rows);
  const simSums = new Float32Array(scoring.rows);
  for (let p = 0; p < row.indices.length; p++) {
    for (let q = scoring.indptr[row.indices[p]]; q < scoring.indptr[row.indices[p] + 1]; q++) {
      scores[scoring.indices[q]] += row.values[p] * scoring.data[q];
      simSums[scoring.indices[q]] += scoring.data[q];
    }
  }
  if (normalize) for (let j = 0; j < scores.length; j++) if (simSums[j] > 0) scores[j] /= simSums[j];
  return scores;
}

describe('ReachedScores', () => {
  it('gives the formula\'s floats over every item, call after call on one scratch, with and without normalising', () => {
    let seed = 4242;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const rows = randomRows(3_000, 40, random);
    for (const normalize of [false, true]) {
      const scratch = new ReachedScores(rows, normalize);
      for (let trial = 0; trial < 20; trial++) {
        const row = randomRow(rows.rows, 1 + Math.floor(random() * 60), random);
        const dense = denseScores(rows, row, normalize);
        const reachedByDense = dense.reduce((n, s) => n + (s !== 0 ? 1 : 0), 0);
        scratch.withScores(row, (scores, reached) => {
          expect(scores).toEqual(dense);
          expect(new Set(reached).size).toBe(reached.length);
          expect(reached.length).toBeGreaterThanOrEqual(reachedByDense);
          // recall over the reached items only selects what a pass over every item selects
          const exclude = row.indices;
          expect(topK(scores, 30, { candidates: reached, distinctCandidates: true, exclude, above: 0 })).toEqual(topK(dense, 30, { exclude, above: 0 }));
        });
      }
    }
  });

  it('leaves the scratch clean when the caller throws', () => {
    const rows: NeighbourRows = { rows: 3, indptr: Int32Array.of(0, 2, 2, 2), indices: Int32Array.of(1, 2), data: Float32Array.of(0.5, 0.25) };
    const scratch = new ReachedScores(rows, false);
    const row = { indices: Int32Array.of(0), values: Float32Array.of(2) };
    expect(() => scratch.withScores(row, () => { throw new Error('boom'); })).toThrow('boom');
    scratch.withScores({ indices: new Int32Array(0), values: new Float32Array(0) }, (scores, reached) => {
      expect(Array.from(scores)).toEqual([0, 0, 0]);
      expect(reached.length).toBe(0);
    });
  });
});
