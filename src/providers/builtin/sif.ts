/**
 * Smooth Inverse Frequency sentence embeddings (Arora, Liang & Ma, ICLR 2017, "A simple but tough-to-beat
 * baseline for sentence embeddings"): a sentence is the average of its word vectors weighted by a / (a + p(w)),
 * minus its projection on a "common component" (the first principal component of many sentence vectors).
 *
 * Word probabilities p(w): the package ships no counts, but its words are in GloVe's frequency order, and word
 * frequency in English follows Zipf's law closely: p(rank r) = (r + 1)^-s / H(N, s), with H(N, s) the generalised
 * harmonic number over the full source vocabulary N and s = 1. This gives p("the") ~ 7%, near its measured
 * frequency of 5-7% in English text, and p ~ 1e-6 for rank 100,000.
 *
 * Common component: fitted once on a fixed reference sample and persisted with the word vectors, so every text
 * (catalogue items now, a query next month) is projected the same way. The reference sample is synthetic and
 * deterministic: sentences of content words drawn from the same Zipf distribution (seeded PRNG), i.e. exactly the
 * "no topic" discourse of the paper's generative model, whose first principal component is the frequency-driven
 * common direction SIF removes. `fitFirstComponent` also fits a component on a real corpus for callers that want one.
 */
import type { WordVectorTable } from './wink-source.js';
import { dot } from '../vectors.js';
import { mulberry32 } from '../../models/linalg/random.js';

export interface SifParams {
  /** Smoothing constant a of a / (a + p(w)); the paper uses 1e-3 .. 1e-4. */
  a: number;
  /** Zipf exponent s. */
  zipfExponent: number;
}

export const DEFAULT_SIF_PARAMS: SifParams = { a: 1e-3, zipfExponent: 1 };

const REFERENCE = { sentences: 4000, words: 12, seed: 20170424 };

/** Identifies how a persisted component was made; the cache recomputes it when this differs. */
export function referenceRecipe(params: SifParams): string {
  return `zipf-reference:v1:a=${params.a}:s=${params.zipfExponent}:n=${REFERENCE.sentences}x${REFERENCE.words}:seed=${REFERENCE.seed}`;
}

/** H(N, s) = sum over k = 1..N of k^-s. @example generalisedHarmonic(3, 1) // 1 + 1/2 + 1/3 */
export function generalisedHarmonic(n: number, s: number): number {
  let h = 0;
  for (let k = n; k >= 1; k--) h += k ** -s; // smallest terms first for accuracy
  return h;
}

/**
 * SIF weight a / (a + p(w)) of every row, p from Zipf over the source vocabulary.
 *
 * @example sifWeights(table, DEFAULT_SIF_PARAMS)[0] // weight of "the", ~0.013
 */
export function sifWeights(table: WordVectorTable, params: SifParams): Float32Array {
  const harmonic = generalisedHarmonic(table.sourceVocabularySize, params.zipfExponent);
  const weights = new Float32Array(table.ranks.length);
  for (let row = 0; row < weights.length; row++) {
    const p = (table.ranks[row] + 1) ** -params.zipfExponent / harmonic;
    weights[row] = params.a / (params.a + p);
  }
  return weights;
}

/** Weighted average of the given rows' vectors (zero vector for no rows). */
export function weightedAverage(table: WordVectorTable, weights: Float32Array, rows: readonly number[]): Float32Array {
  const { dimensions: dims, matrix } = table;
  const out = new Float32Array(dims);
  if (rows.length === 0) return out;
  for (const row of rows) {
    const w = weights[row];
    const base = row * dims;
    for (let d = 0; d < dims; d++) out[d] += w * matrix[base + d];
  }
  for (let d = 0; d < dims; d++) out[d] /= rows.length;
  return out;
}

/**
 * First principal component (uncentred, as in the SIF paper's TruncatedSVD) of a set of vectors, by power
 * iteration on their second-moment matrix. Unit length; sign fixed so the largest coordinate is positive.
 *
 * @example const u = fitFirstComponent(sentenceVectors);
 */
export function fitFirstComponent(vectors: readonly Float32Array[]): Float32Array {
  const dims = vectors[0]?.length ?? 0;
  const m = new Float64Array(dims * dims);
  const mean = new Float64Array(dims);
  for (const v of vectors) {
    for (let i = 0; i < dims; i++) {
      mean[i] += v[i];
      const vi = v[i];
      if (vi === 0) continue;
      for (let j = 0; j < dims; j++) m[i * dims + j] += vi * v[j];
    }
  }
  let x = Float64Array.from(mean);
  let norm = Math.hypot(...x);
  if (norm === 0) { x = new Float64Array(dims); x[0] = 1; norm = 1; }
  for (let i = 0; i < dims; i++) x[i] /= norm;
  for (let iter = 0; iter < 500; iter++) {
    const y = new Float64Array(dims);
    for (let i = 0; i < dims; i++) {
      let s = 0;
      for (let j = 0; j < dims; j++) s += m[i * dims + j] * x[j];
      y[i] = s;
    }
    const yn = Math.hypot(...y);
    if (yn === 0) break;
    let delta = 0;
    for (let i = 0; i < dims; i++) { y[i] /= yn; delta += Math.abs(y[i] - x[i]); }
    x = y;
    if (delta < 1e-12) break;
  }
  let largest = 0;
  for (let i = 0; i < dims; i++) if (Math.abs(x[i]) > Math.abs(x[largest])) largest = i;
  const sign = x[largest] < 0 ? -1 : 1;
  return Float32Array.from(x, (c) => sign * c);
}

/** v -= (u . v) u, in place; `u` must be unit length. */
export function removeComponent(v: Float32Array, u: Float32Array): void {
  const p = dot(u, v);
  for (let i = 0; i < v.length; i++) v[i] -= p * u[i];
}

/**
 * The common component of the synthetic Zipf reference sample (see the file comment).
 *
 * @example const u = referenceComponent(table, weights, (row) => isContentWord(table.words[row]), DEFAULT_SIF_PARAMS);
 */
export function referenceComponent(
  table: WordVectorTable,
  weights: Float32Array,
  isContentRow: (row: number) => boolean,
  params: SifParams,
): Float32Array {
  const rows: number[] = [];
  for (let row = 0; row < table.ranks.length; row++) if (isContentRow(row)) rows.push(row);
  const cumulative = new Float64Array(rows.length);
  let total = 0;
  rows.forEach((row, i) => { total += (table.ranks[row] + 1) ** -params.zipfExponent; cumulative[i] = total; });
  const random = mulberry32(REFERENCE.seed);
  const draw = (): number => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return rows[lo];
  };
  const sample: Float32Array[] = [];
  for (let s = 0; s < REFERENCE.sentences; s++) {
    sample.push(weightedAverage(table, weights, Array.from({ length: REFERENCE.words }, draw)));
  }
  return fitFirstComponent(sample);
}
