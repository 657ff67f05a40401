import { EngineError } from '../../core/errors.js';
import type { CsrMatrix } from '../../core/sparse.js';
import { createRandom, deriveSeed } from '../../eval/random.js';
import { foldInUser, type ItemSide } from '../als/fold-in.js';
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky.js';
import { mulberry32 } from '../linalg/random.js';
import { checkDpParams, DP_DEFAULTS, dpSeed, type DpParams } from './dp-params.js';
import { gaussianFromUniforms } from './mechanisms.js';
import { distinctItems } from './private-gram.js';

/**
 * Differentially private implicit ALS in the spirit of Chien et al. (ICML 2021, "Private Alternating Least Squares"):
 * the item factors are released with (ε, δ)-DP at the level of a user's whole history; each user's own factors are
 * solved from their own history against the released item factors ("joint" DP: a user's factors are shown only to
 * that user). Each iteration:
 * 1. users, locally: x_u = the exact least-squares vector against the current item factors (as fold-in), then
 *    scaled to unit norm, x̄_u = x_u / ‖x_u‖;
 * 2. a Gaussian release of the item step's sufficient statistics: the Gramian Σ_u x̄_u x̄_uᵀ and, per item i,
 *    Σ_{u∋i} w_u x̄_u x̄_uᵀ and Σ_{u∋i} w_u x̄_u, with w_u = min(1, √(k / n_u)) (k = dpMaxItemsPerUser);
 * 3. items, from the release only: y_i = (G̃ + α Ã_i + ridge·I)⁻¹ (1 + α) b̃_i.
 * One user changes step 2 by at most √(1 + 2k) in L2 (‖x̄x̄ᵀ‖_F ≤ 1 once, plus for each of n_u items w_u² (‖x̄x̄ᵀ‖²_F
 * + ‖x̄‖²) ≤ 2k/n_u): the sensitivity. The T iterations compose in zero-concentrated DP: each release with noise σ is
 * ρ = Δ²/(2σ²)-zCDP, T of them Tρ, which is (Tρ + 2√(Tρ ln(1/δ)), δ)-DP (Bun & Steinke 2016); σ is the smallest that
 * meets the (ε, δ) asked for. The initial item factors are random (data-independent).
 */

/** ALS's private-fit params (AlsParams extends this, so each is documented once). */
export interface PrivateAlsOptions extends DpParams {
  /** With dpEpsilon: latent factors of the private fit (fewer than the exact model's: each one adds noise). */
  dpFactors: number;
  /** With dpEpsilon: private alternations; each is one release, so each spends a share of the budget. */
  dpIterations: number;
  /** With dpEpsilon: extra ridge on each item system in units of its noise's spectral norm, (1 + α)·σ·2√d. */
  dpRidge: number;
}

interface PrivateAlsParams extends PrivateAlsOptions {
  alpha: number;
  regularization: number;
}

export const PRIVATE_ALS_DEFAULTS: PrivateAlsOptions = { ...DP_DEFAULTS, dpMaxItemsPerUser: 10, dpFactors: 32, dpIterations: 1, dpRidge: 2 };

/** dp* options without dpEpsilon, or a mechanism the zCDP accounting does not cover, are mistakes worth reporting. */
export function checkPrivateAlsParams(p: PrivateAlsOptions): void {
  checkDpParams('als', p, PRIVATE_ALS_DEFAULTS);
  if (p.dpEpsilon === undefined) {
    for (const key of ['dpFactors', 'dpIterations', 'dpRidge'] as const) {
      if (p[key] !== PRIVATE_ALS_DEFAULTS[key]) throw new EngineError('INVALID_CONFIG', `als: param "${key}" needs dpEpsilon`, { path: key });
    }
  } else if (p.dpMechanism !== 'gaussian') {
    throw new EngineError('INVALID_CONFIG', 'als: dpEpsilon works with dpMechanism "gaussian" only (zCDP composition)', { path: 'dpMechanism' });
  }
}

export interface PrivateAlsResult {
  /** items x stride (zero padded past `dpFactors`). */
  itemFactors: Float32Array;
  itemGram: Float32Array;
  /** users x stride: each user's own exact vector against the released item factors. */
  userFactors: Float32Array;
  privacy: Record<string, unknown>;
}

/**
 * ρ of zero-concentrated DP that converts to (ε, δ)-DP: the ρ solving ε = ρ + 2√(ρ ln(1/δ)).
 *
 * @example zcdpRho(10, 1e-6) // ≈ 1.37
 */
export function zcdpRho(epsilon: number, delta: number): number {
  const l = Math.log(1 / delta);
  return (Math.sqrt(l + epsilon) - Math.sqrt(l)) ** 2;
}

/** The L2 sensitivity of one iteration's release for bound k (see the module comment). */
export function alsReleaseSensitivity(k: number): number {
  return Math.sqrt(1 + 2 * k);
}

/**
 * σ of each of the `iterations` releases so that together they are (ε, δ)-DP: ρ/T = Δ²/(2σ²) each.
 *
 * @example alsNoiseScale(10, 1e-6, 10, 1) // √21 / √(2ρ) with ρ = zcdpRho(10, 1e-6)
 */
export function alsNoiseScale(epsilon: number, delta: number, k: number, iterations: number): number {
  if (epsilon === Infinity) return 0;
  return alsReleaseSensitivity(k) * Math.sqrt(iterations / (2 * zcdpRho(epsilon, delta)));
}

/**
 * Trains private item factors and each user's own factors (see the module comment); vectors are laid out with
 * `stride` ≥ dpFactors (zero padding), as the exact model's.
 *
 * @example const r = await privateAls(data.matrix, params, 32, ctx.seed, (t) => control.report(t, params.dpIterations));
 */
export async function privateAls(
  userItems: CsrMatrix,
  p: PrivateAlsParams,
  stride: number,
  seed: number | undefined,
  onIteration: (done: number) => Promise<void>,
): Promise<PrivateAlsResult> {
  const epsilon = p.dpEpsilon ?? Infinity;
  const d = p.dpFactors;
  const iterations = p.dpIterations;
  const k = p.dpMaxItemsPerUser;
  const users = userItems.rows;
  const items = userItems.cols;
  const s = dpSeed(seed);
  const rho = zcdpRho(epsilon, p.dpDelta);
  const sensitivity = alsReleaseSensitivity(k);
  const sigma = alsNoiseScale(epsilon, p.dpDelta, k, iterations);
  // the released sums count each distinct item of a user once, whatever the weights or repeats
  const distinct = distinctItems(userItems);
  const itemUsers = distinct.transpose();
  const weights = alsUserWeights(distinct, k);
  const init = createRandom(deriveSeed(s, 'dp-als-init'));
  let y = Float32Array.from({ length: items * stride }, (_, q) => (q % stride < d ? (init.next() - 0.5) * 0.2 : 0));
  const x = new Float64Array(users * d);
  for (let t = 0; t < iterations; t++) {
    const side = itemSide(y, stride, p);
    for (let u = 0; u < users; u++) {
      const v = foldInUser(rowOf(userItems, u), side);
      let norm = 0;
      for (let a = 0; a < d; a++) norm += v[a] * v[a];
      // unit norm: the largest signal the clipping bound of 1 allows (ALS factors are scale-free up to the ridge)
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let a = 0; a < d; a++) x[u * d + a] = v[a] * scale;
    }
    const noise = mulberry32(deriveSeed(s, `dp-als-${t}`));
    const draw = (): number => (sigma === 0 ? 0 : gaussianFromUniforms(noise(), noise(), sigma));
    const gram = addSymmetricNoise(gramian(x, d), d, draw);
    // the item systems' noise has spectral norm about (1 + α)·σ·2√d: the ridge keeps them positive definite
    const ridge = p.dpRidge * (1 + p.alpha) * sigma * 2 * Math.sqrt(d);
    const lambda = p.regularization * Math.max(1, trace(gram, d)) + ridge;
    const next = new Float32Array(items * stride);
    for (let i = 0; i < items; i++) {
      const sums = itemSums(itemUsers, i, x, weights, d);
      const a = addSymmetricNoise(sums.a, d, draw);
      const b = sums.b.map((v) => (1 + p.alpha) * (v + draw()));
      for (let q = 0; q < d * d; q++) a[q] = gram[q] + p.alpha * a[q];
      solveRidge(a, b, d, lambda);
      for (let c = 0; c < d; c++) next[i * stride + c] = b[c];
    }
    y = next;
    await onIteration(t + 1);
  }
  const side = itemSide(y, stride, p);
  const userFactors = new Float32Array(users * stride);
  for (let u = 0; u < users; u++) userFactors.set(foldInUser(rowOf(userItems, u), side), u * stride);
  const privacy = {
    epsilon,
    delta: p.dpDelta,
    mechanism: 'gaussian',
    maxItemsPerUser: k,
    unit: 'user',
    accounting: 'zCDP',
    factors: d,
    parts: { itemStatistics: { releases: iterations, rho: rho / iterations, l2: sensitivity, noiseScale: sigma } },
  };
  return { itemFactors: y, itemGram: side.itemGram, userFactors, privacy };
}

function itemSide(y: Float32Array, stride: number, p: PrivateAlsParams): ItemSide {
  const items = y.length / stride;
  const g = new Float64Array(stride * stride);
  for (let i = 0; i < items; i++) {
    for (let a = 0; a < stride; a++) {
      const ya = y[i * stride + a];
      if (ya === 0) continue;
      for (let b = 0; b < stride; b++) g[a * stride + b] += ya * y[i * stride + b];
    }
  }
  return { itemFactors: y, itemGram: Float32Array.from(g), stride, alpha: p.alpha, regularization: p.regularization };
}

/** User u's history as fold-in reads it at serving time (the user step is local, so the weights may be used). */
function rowOf(m: CsrMatrix, u: number): { indices: Int32Array; values: Float32Array } {
  return { indices: m.indices.subarray(m.indptr[u], m.indptr[u + 1]), values: m.data.subarray(m.indptr[u], m.indptr[u + 1]) };
}

/**
 * w_u = min(1, √(k / n_u)) over distinct histories (distinctItems): a user's n_u items each get w_u x̄x̄ᵀ and w_u x̄, so their squared norms add up to at
 * most 2k (‖x̄‖ = 1).
 *
 * @example alsUserWeights(m, 10)[u] // 1 for users of ≤ 10 items
 */
export function alsUserWeights(userItems: CsrMatrix, k: number): Float64Array {
  return Float64Array.from({ length: userItems.rows }, (_, u) => {
    const n = userItems.indptr[u + 1] - userItems.indptr[u];
    return n > k ? Math.sqrt(k / n) : 1;
  });
}

/** Σ_u x̄_u x̄_uᵀ over all users (d×d, full), before noise. */
export function gramian(x: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let u = 0; u < x.length / d; u++) {
    for (let a = 0; a < d; a++) {
      const xa = x[u * d + a];
      for (let b = 0; b < d; b++) out[a * d + b] += xa * x[u * d + b];
    }
  }
  return out;
}

/** Item i's released sums before noise: a = Σ_{u∋i} w_u x̄_u x̄_uᵀ (d×d) and b = Σ_{u∋i} w_u x̄_u. */
export function itemSums(itemUsers: CsrMatrix, i: number, x: Float64Array, weights: Float64Array, d: number): { a: Float64Array; b: Float64Array } {
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let q = itemUsers.indptr[i]; q < itemUsers.indptr[i + 1]; q++) {
    const u = itemUsers.indices[q];
    const w = weights[u];
    for (let c = 0; c < d; c++) {
      const xc = w * x[u * d + c];
      b[c] += xc;
      for (let e = 0; e < d; e++) a[c * d + e] += xc * x[u * d + e];
    }
  }
  return { a, b };
}

/** A symmetric matrix plus symmetric noise: one draw per upper-triangle entry, mirrored. */
function addSymmetricNoise(m: Float64Array, d: number, draw: () => number): Float64Array {
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      m[a * d + b] += draw();
      m[b * d + a] = m[a * d + b];
    }
  }
  return m;
}

function trace(m: Float64Array, d: number): number {
  let t = 0;
  for (let a = 0; a < d; a++) t += m[a * d + a];
  return t;
}

/** Solves (A + λI) z = b in place in b, raising λ until the noisy system is positive definite. */
function solveRidge(a: Float64Array, b: Float64Array, d: number, lambda: number): void {
  for (let extra = 0; ; extra = extra === 0 ? lambda || 1 : extra * 2) {
    const m = Float64Array.from(a);
    for (let c = 0; c < d; c++) m[c * d + c] += lambda + extra;
    if (choleskyInPlace(m, d)) {
      choleskySolveInPlace(m, d, b);
      return;
    }
  }
}
