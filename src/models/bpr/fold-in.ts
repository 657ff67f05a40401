import type { SparseRow } from '../../core/sparse.js';
import { mulberry32 } from '../linalg/random.js';

export interface BprFoldInSettings {
  stride: number;
  learningRate: number;
  regularization: number;
  /** Passes over the history: epochs · |history| SGD steps in all. */
  epochs: number;
  seed: number;
}

/**
 * A new user's BPR vector by SGD with the item factors and biases held fixed: starting from zero, each step takes
 * a history item i and a uniformly drawn item j outside the history and ascends ln σ(x·(y_i - y_j)) - reg·|x|².
 * Deterministic for a seed; O(epochs · |history| · k).
 *
 * @example const x = foldInBpr(row, itemFactors, { stride: 64, learningRate: 0.05, regularization: 0.01, epochs: 50, seed: 42 });
 */
export function foldInBpr(row: SparseRow, itemFactors: Float32Array, s: BprFoldInSettings): Float32Array {
  const k = s.stride;
  const items = itemFactors.length / k;
  const x = new Float32Array(k);
  const h = row.indices.length;
  if (h === 0 || h >= items) return x;
  const inHistory = new Uint8Array(items);
  for (const i of row.indices) inHistory[i] = 1;
  const rand = mulberry32(s.seed);
  const steps = s.epochs * h;
  for (let step = 0; step < steps; step++) {
    const i = row.indices[Math.floor(rand() * h)];
    let j = Math.floor(rand() * items);
    while (inHistory[j]) j = Math.floor(rand() * items);
    let score = 0;
    for (let f = 0; f < k; f++) score += x[f] * (itemFactors[i * k + f] - itemFactors[j * k + f]);
    const z = 1 / (1 + Math.exp(score));
    for (let f = 0; f < k; f++) {
      x[f] += s.learningRate * (z * (itemFactors[i * k + f] - itemFactors[j * k + f]) - s.regularization * x[f]);
    }
  }
  return x;
}
