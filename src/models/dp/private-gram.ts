import { EngineError } from '../../core/errors.js';
import { CsrMatrix } from '../../core/sparse.js';
import { mulberry32At } from '../linalg/random.js';
import { deriveSeed } from '../../eval/random.js';
import { noiseFromUniforms, noiseScale, type DpBudget } from './mechanisms.js';
import { boundContributions, MAX_DP_PAIR_ITEMS } from './private-stats.js';

/**
 * A differentially private release of the item Gram matrix G = Xᵀ W X of binary histories: the diagonal holds
 * (weighted) users per item, the off-diagonal (weighted) users per pair. Item-kNN's cosine and EASE are both
 * post-processing of it.
 *
 * Neighbouring datasets differ by ONE USER'S WHOLE HISTORY. User u's contribution to the upper triangle (diagonal
 * included, each pair once) is w_u on each of its n_u items and each of its n_u(n_u−1)/2 pairs: a vector of
 * n_u(n_u+1)/2 entries equal to w_u, with L2 norm w_u √(n_u(n_u+1)/2) and L1 norm w_u n_u(n_u+1)/2. The bound k
 * caps that norm at the norm of a k-item history with weight 1, B_k:
 * - bounding 'sample': users keep a uniform sample of at most k items, w_u = 1 (norm ≤ B_k);
 * - bounding 'scale':  users keep every item, w_u = min(1, B_k / norm(n_u)): light users count 1 per item and pair,
 *   heavier ones are scaled down so that their whole contribution has norm exactly B_k.
 * Either way adding or removing one user moves the released vector by at most B_k in the mechanism's norm
 * (L2 = √(k(k+1)/2) for Gaussian, L1 = k(k+1)/2 for Laplace): the sensitivity, to which the noise on every entry
 * of the upper triangle, zeros included, is calibrated. One release, all of ε.
 */

export type DpBounding = 'sample' | 'scale';

export interface GramReleaseOptions {
  /** Contribution bound: norm of a k-item history (see the module comment). */
  k: number;
  bounding: DpBounding;
  budget: DpBudget;
  seed: number;
}

/** Norm of the contribution of a history of n items with weight 1, in the mechanism's norm (L2 Gaussian, L1 Laplace). */
export function historyNorm(n: number, mechanism: DpBudget['mechanism']): number {
  const entries = (n * (n + 1)) / 2;
  return mechanism === 'laplace' ? entries : Math.sqrt(entries);
}

/**
 * The sensitivity of the Gram release with bound k: { l1, l2 } with only the mechanism's norm bounded; with
 * bounding 'scale' and Gaussian noise a heavy user's L1 norm grows with their history (Infinity, unused).
 */
export function gramSensitivity(k: number, bounding: DpBounding, mechanism: DpBudget['mechanism']): { l1: number; l2: number } {
  const entries = (k * (k + 1)) / 2;
  if (bounding === 'sample' || mechanism === 'laplace') return { l1: entries, l2: Math.sqrt(entries) };
  return { l1: Infinity, l2: Math.sqrt(entries) };
}

/**
 * Per-user weights w_u of the bounded histories (see the module comment).
 *
 * @example userWeights(bounded, 2, 'scale', 'gaussian') // 1 for users of ≤ 2 items, √3 / √(n(n+1)/2) above
 */
export function userWeights(bounded: CsrMatrix, k: number, bounding: DpBounding, mechanism: DpBudget['mechanism']): Float64Array {
  const w = new Float64Array(bounded.rows).fill(1);
  if (bounding === 'sample') return w;
  const cap = historyNorm(k, mechanism);
  for (let u = 0; u < bounded.rows; u++) {
    const n = bounded.indptr[u + 1] - bounded.indptr[u];
    if (n > k) w[u] = cap / historyNorm(n, mechanism);
  }
  return w;
}

/**
 * Distinct items per user as 1s (ratings and repeats dropped), rows sorted by column: a repeated event must not count
 * twice in a release whose sensitivity assumes one entry per item.
 *
 * @example distinctItems(m).rowLength(u) // the number of different items user u has
 */
export function distinctItems(m: CsrMatrix): CsrMatrix {
  const indptr = new Int32Array(m.rows + 1);
  const kept: number[] = [];
  for (let u = 0; u < m.rows; u++) {
    for (const c of Array.from(new Set(m.rowIndices(u))).sort((a, b) => a - b)) kept.push(c);
    indptr[u + 1] = kept.length;
  }
  return new CsrMatrix(m.rows, m.cols, indptr, Int32Array.from(kept), new Float32Array(kept.length).fill(1));
}

/**
 * The released Gram matrix, read row by row: the noise of entry (i, j) is regenerated from its position in one seeded
 * stream, so G̃ij = G̃ji without storing n² values (memory O(n + nnz), time O(n²) per full read).
 */
export class PrivateGram {
  readonly n: number;
  /** Noise scale of every entry (Laplace b or Gaussian σ), in units where one light user counts 1 per pair. */
  readonly scale: number;
  readonly sensitivity: { l1: number; l2: number };
  /** The released diagonal: noisy (weighted) users per item. */
  readonly diagonal: Float64Array;
  private readonly noiseSeed: number;
  private readonly itemUsers: CsrMatrix;

  private constructor(private readonly bounded: CsrMatrix, private readonly weights: Float64Array, private readonly o: GramReleaseOptions) {
    this.n = bounded.cols;
    this.sensitivity = gramSensitivity(o.k, o.bounding, o.budget.mechanism);
    this.scale = noiseScale(o.budget, this.sensitivity);
    this.noiseSeed = deriveSeed(o.seed, 'dp-gram');
    this.itemUsers = bounded.transpose();
    this.diagonal = new Float64Array(this.n);
    for (let u = 0; u < bounded.rows; u++) {
      for (let p = bounded.indptr[u]; p < bounded.indptr[u + 1]; p++) this.diagonal[bounded.indices[p]] += weights[u];
    }
    for (let i = 0; i < this.n; i++) this.diagonal[i] += this.noise(i, i);
  }

  /**
   * Bounds every user's contribution and fixes the noise: the release as an object that reads rows on demand.
   *
   * @example const g = PrivateGram.release(data.matrix, { k: 50, bounding: 'scale', budget, seed }); g.row(0, out);
   */
  static release(userItems: CsrMatrix, o: GramReleaseOptions): PrivateGram {
    if (userItems.cols > MAX_DP_PAIR_ITEMS) {
      throw new EngineError('INVALID_CONFIG', `a differentially private item-item release adds noise to all n² item pairs and supports at most ${MAX_DP_PAIR_ITEMS} items`, { path: 'dpEpsilon', items: userItems.cols });
    }
    const bounded = o.bounding === 'sample' ? boundContributions(userItems, o.k, o.seed) : distinctItems(userItems);
    return new PrivateGram(bounded, userWeights(bounded, o.k, o.bounding, o.budget.mechanism), o);
  }

  /** Fills `out` (length n) with row i of the released G̃, diagonal included. */
  row(i: number, out: Float64Array): void {
    out.fill(0);
    const { itemUsers, bounded, weights } = this;
    for (let p = itemUsers.indptr[i]; p < itemUsers.indptr[i + 1]; p++) {
      const u = itemUsers.indices[p];
      const w = weights[u];
      for (let q = bounded.indptr[u]; q < bounded.indptr[u + 1]; q++) out[bounded.indices[q]] += w;
    }
    for (let j = 0; j < this.n; j++) out[j] = j === i ? this.diagonal[i] : out[j] + this.noise(i, j);
  }

  private noise(i: number, j: number): number {
    if (this.scale === 0) return 0;
    // entry (a ≤ b) always reads the same two stream positions: 2(a·n + b) < 2^32 for n ≤ MAX_DP_PAIR_ITEMS
    const pos = 2 * (Math.min(i, j) * this.n + Math.max(i, j));
    return noiseFromUniforms(this.o.budget.mechanism, mulberry32At(this.noiseSeed, pos), mulberry32At(this.noiseSeed, pos + 1), this.scale);
  }
}
