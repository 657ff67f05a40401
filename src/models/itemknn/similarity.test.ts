import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { CsrMatrix } from '../../core/sparse.js';
import { fitControl } from '../fit-control.js';
import { entryAt, pairwiseSimilarity } from './similarity.js';

const control = () => fitControl({ logger: silentLogger, clock: fixedClock(0) }, 1);

/** A random sparse rows x cols matrix (about `density` filled) as dense arrays and CSR. */
function randomMatrix(rows: number, cols: number, density: number, seed: number): { dense: number[][]; csr: CsrMatrix } {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const dense = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random() < density ? 1 + Math.floor(random() * 5) : 0)));
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  dense.forEach((row, i) => row.forEach((x, j) => {
    if (x > 0) {
      r.push(i);
      c.push(j);
      v.push(x);
    }
  }));
  return { dense, csr: CsrMatrix.fromTriplets(rows, cols, r, c, v) };
}

describe('pairwiseSimilarity', () => {
  it('equals brute-force row dot products (self excluded), with and without shrinkage', async () => {
    const { dense, csr } = randomMatrix(40, 25, 0.2, 3);
    for (const shrink of [0, 3]) {
      const sim = await pairwiseSimilarity(csr, { neighbors: 1000, shrink }, control());
      for (let a = 0; a < 40; a++) {
        for (let b = 0; b < 40; b++) {
          let dot = 0;
          let shared = 0;
          for (let k = 0; k < 25; k++) {
            dot += dense[a][k] * dense[b][k];
            if (dense[a][k] > 0 && dense[b][k] > 0) shared++;
          }
          const expected = a === b ? 0 : shrink > 0 ? (dot * shared) / (shared + shrink) : dot;
          expect(entryAt(sim, a, b)).toBeCloseTo(expected, 4);
        }
      }
    }
  });

  it('keeps the top neighbours per row, sorted by column', async () => {
    const { csr } = randomMatrix(60, 30, 0.3, 9);
    const full = await pairwiseSimilarity(csr, { neighbors: 1000, shrink: 0 }, control());
    const top3 = await pairwiseSimilarity(csr, { neighbors: 3, shrink: 0 }, control());
    for (let a = 0; a < 60; a++) {
      const kept = Array.from(top3.rowIndices(a));
      expect(kept.length).toBe(Math.min(3, full.rowLength(a)));
      expect([...kept].sort((x, y) => x - y)).toEqual(kept);
      const best = Array.from(full.rowIndices(a))
        .map((b) => ({ b, s: entryAt(full, a, b) }))
        .sort((x, y) => y.s - x.s || x.b - y.b)
        .slice(0, 3)
        .map((e) => e.b)
        .sort((x, y) => x - y);
      expect(kept).toEqual(best);
    }
  });
});
