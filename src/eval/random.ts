import { mulberry32 } from '../models/linalg/random.js';

/**
 * Seeded pseudo-random numbers for reproducible splits, negative sampling and hyper-parameter search.
 * mulberry32 (the models' generator, linalg/random.ts): plenty for shuffling and sampling (not for cryptography).
 */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * Creates a seeded generator; the same seed always yields the same sequence.
 *
 * @example const rng = createRandom(42); rng.int(10) // same value on every run
 */
export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  return { next, int: (n) => Math.floor(next() * n) };
}

/**
 * Fisher-Yates shuffle of `values` in place, returning it.
 *
 * @example shuffleInPlace([1, 2, 3], createRandom(1))
 */
export function shuffleInPlace<A extends { length: number; [i: number]: unknown }>(a: A, rng: Random): A {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** Derives an independent seed for a named sub-task (e.g. per model trial) so adding one task does not shift others. */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
