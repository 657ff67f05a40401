import type { DataShape } from '../data-shape.js';

/**
 * ALS's default λ in units of the data's noise edge. With the frequency-scaled ridge (user u: λ·(items + n_u), item
 * i: λ·(users + n_i)), alternating least squares shrinks a component of the interaction matrix X to zero unless its
 * singular value σ clears about λ·√(users·items) / (1 + α): starting from small factors, one user-then-item sweep
 * multiplies them by roughly (1 + α)²·σ² / (λ²·users·items). The singular values of a sparse 0/1 matrix that are
 * only sampling noise reach about √density·(√users + √items), so the λ that keeps the structure above the noise and
 * drops the noise is proportional to (1 + α)·√density·(1/√users + 1/√items). A fixed λ does not scale: 0.02 suits
 * MovieLens (density ≈ 0.05) but on a 100k-item log of density 0.0004 it is 150 times that edge, and every
 * factor, the popularity direction included, decays to zero (docs/benchmarks.md, "Why ALS matched popularity").
 * The constant: over the sweeps of λ on six real splits (ml-100k and ml-latest-small under the RecBole protocol and
 * three other ml-100k splits, Amazon musical instruments) and the ML-1M-sized synthetic log, all at α = 1, the λ
 * that validates best is 0.86–1.66 times the edge, median 1.2 = 0.6·(1 + α), which also keeps ml-100k's tuned 0.02
 * (`npm run bench -- scaled-defaults`, `npm run bench -- als-diagnosis`).
 */
export const NOISE_EDGE_MULTIPLE = 0.6;

/**
 * ALS's default `regularization` for data of this shape (at least one interaction) and confidence scaling α, to 2
 * significant digits.
 *
 * @example alsDefaultRegularization({ users: 939, items: 1016, density: 0.0683 }, 1) // 0.02 (ml-100k, RecBole train split)
 */
export function alsDefaultRegularization(shape: Pick<DataShape, 'users' | 'items' | 'density'>, alpha: number): number {
  const edge = Math.sqrt(shape.density) * (1 / Math.sqrt(shape.users) + 1 / Math.sqrt(shape.items));
  return Number((NOISE_EDGE_MULTIPLE * (1 + alpha) * edge).toPrecision(2));
}
