import { describe, expect, it } from 'vitest';
import { dot } from '../vectors.js';
import { fitFirstComponent, generalisedHarmonic, referenceComponent, removeComponent, sifWeights, weightedAverage } from './sif.js';
import type { WordVectorTable } from './wink-source.js';

function table(rows: number[][], sourceVocabularySize = rows.length): WordVectorTable {
  return {
    words: rows.map((_, i) => `w${i}`),
    ranks: Int32Array.from(rows.keys()),
    matrix: Float32Array.from(rows.flat()),
    dimensions: rows[0].length,
    sourceVocabularySize,
  };
}

describe('SIF', () => {
  it('computes generalised harmonic numbers', () => {
    expect(generalisedHarmonic(3, 1)).toBeCloseTo(1 + 1 / 2 + 1 / 3, 12);
    expect(generalisedHarmonic(2, 2)).toBeCloseTo(1.25, 12);
  });

  it('weights words by a / (a + p) with Zipf probabilities over the source vocabulary', () => {
    // N = 4, s = 1: H = 25/12, p(rank 0) = 12/25 = 0.48, p(rank 3) = 0.12
    const weights = sifWeights(table([[1], [1], [1], [1]]), { a: 0.12, zipfExponent: 1 });
    expect(weights[0]).toBeCloseTo(0.12 / (0.12 + 0.48), 6);
    expect(weights[3]).toBeCloseTo(0.5, 6);
    expect(weights[0]).toBeLessThan(weights[1]);
  });

  it('averages weighted word vectors', () => {
    const t = table([[1, 0], [0, 2]]);
    expect(Array.from(weightedAverage(t, Float32Array.from([0.5, 1]), [0, 1]))).toEqual([0.25, 1]);
    expect(Array.from(weightedAverage(t, Float32Array.from([1, 1]), []))).toEqual([0, 0]);
  });

  it('finds the dominant direction of a set of vectors', () => {
    const vectors = [[3, 0.1], [-2.9, 0.2], [3.1, -0.1], [-3, 0]].map((v) => Float32Array.from(v));
    const u = fitFirstComponent(vectors);
    expect(Math.abs(u[0])).toBeCloseTo(1, 2);
    expect(Math.hypot(...u)).toBeCloseTo(1, 6);
    expect(u[0]).toBeGreaterThan(0); // sign fixed: largest coordinate positive
  });

  it('removes a component, leaving the orthogonal part', () => {
    const v = Float32Array.from([2, 3]);
    removeComponent(v, Float32Array.from([1, 0]));
    expect(Array.from(v)).toEqual([0, 3]);
  });

  it('fits a deterministic reference component that captures the shared direction of frequent words', () => {
    // Every word shares the direction [1, 0, 0] plus its own direction.
    const rows = Array.from({ length: 60 }, (_, i) => [1, Math.cos(i), Math.sin(i)]);
    const t = table(rows, 60);
    const weights = sifWeights(t, { a: 1e-3, zipfExponent: 1 });
    const params = { a: 1e-3, zipfExponent: 1 };
    const u = referenceComponent(t, weights, () => true, params);
    expect(u[0]).toBeGreaterThan(0.9);
    expect(Array.from(referenceComponent(t, weights, () => true, params))).toEqual(Array.from(u));
    expect(dot(u, u)).toBeCloseTo(1, 5);
  });
});
