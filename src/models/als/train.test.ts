import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../../core/sparse.js';
import { mulberry32 } from '../linalg/random.js';
import { trainAls, type AlsTrainOptions } from './train.js';

/** 600 users x 400 items with about 30k skewed interactions: enough for trainAls to use two workers. */
function skewedMatrix(): CsrMatrix {
  const rand = mulberry32(17);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let e = 0; e < 36_000; e++) {
    r.push(Math.floor(600 * rand() ** 2));
    c.push(Math.floor(400 * rand() ** 3));
    v.push(1 + Math.floor(rand() * 4));
  }
  return CsrMatrix.fromTriplets(600, 400, r, c, v);
}

describe('trainAls', () => {
  it('learns the same factors, bit for bit, on one thread and on two', async () => {
    const matrix = skewedMatrix();
    expect(matrix.nnz).toBeGreaterThan(20_000);
    const seen: number[] = [];
    const opts = (threads: number): AlsTrainOptions => ({
      factors: 13, stride: 16, regularization: 0.02, alpha: 2, iterations: 4, cgSteps: 3, seed: 3, threads,
      onIteration: async (done) => void seen.push(done),
    });
    const one = await trainAls(matrix, opts(1));
    const two = await trainAls(matrix, opts(2));
    expect(seen).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(two.userFactors).toEqual(one.userFactors);
    expect(two.itemFactors).toEqual(one.itemFactors);
    expect(two.itemGram).toEqual(one.itemGram);
    expect(two.losses).toEqual(one.losses);
    for (let i = 1; i < one.losses.length; i++) expect(one.losses[i]).toBeLessThan(one.losses[i - 1]);
    // padding columns 13..15 stay zero; the Gram matrix is symmetric
    for (let u = 0; u < matrix.rows; u++) expect(Array.from(one.userFactors.subarray(u * 16 + 13, u * 16 + 16))).toEqual([0, 0, 0]);
    for (let a = 0; a < 16; a++) for (let b = 0; b < a; b++) expect(one.itemGram[a * 16 + b]).toBe(one.itemGram[b * 16 + a]);
  });

  it('stops when onIteration throws and releases its workers', async () => {
    const matrix = skewedMatrix();
    const fit = trainAls(matrix, {
      factors: 8, stride: 8, regularization: 0.02, alpha: 1, iterations: 10, cgSteps: 2, seed: 1, threads: 2,
      onIteration: async (done) => {
        if (done === 2) throw new Error('stop here');
      },
    });
    await expect(fit).rejects.toThrow('stop here');
  });
});
