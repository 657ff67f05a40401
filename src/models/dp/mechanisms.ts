import { EngineError } from '../../core/errors.js';

/** Which noise calibrates a differentially private release. */
export type DpMechanism = 'laplace' | 'gaussian';

/**
 * The privacy budget of one release (a vector of counts): pure ε-DP with Laplace noise calibrated to the L1
 * sensitivity, or (ε, δ)-DP with Gaussian noise calibrated to the L2 sensitivity.
 */
export interface DpBudget {
  mechanism: DpMechanism;
  epsilon: number;
  /** Gaussian only; 0 for Laplace. */
  delta: number;
}

/** How far one user's whole contribution can move the released vector: L1 and L2 norms of the largest change. */
export interface Sensitivity {
  l1: number;
  l2: number;
}

/**
 * Standard deviation-like scale of the noise for one release: Laplace scale b = Δ1 / ε; Gaussian σ from the analytic
 * Gaussian mechanism (Balle & Wang, ICML 2018, Theorem 8), exact for every ε > 0 (the classic
 * σ = Δ2 √(2 ln(1.25/δ)) / ε holds only for ε < 1 and is larger). ε = Infinity gives 0: no noise.
 *
 * @example noiseScale({ mechanism: 'laplace', epsilon: 2, delta: 0 }, { l1: 10, l2: 3.2 }) // 5
 */
export function noiseScale(budget: DpBudget, s: Sensitivity): number {
  if (!(budget.epsilon > 0)) throw new EngineError('INVALID_CONFIG', 'differential privacy needs epsilon > 0', { path: 'dpEpsilon' });
  if (budget.epsilon === Infinity) return 0;
  if (budget.mechanism === 'laplace') return s.l1 / budget.epsilon;
  if (!(budget.delta > 0 && budget.delta < 1)) throw new EngineError('INVALID_CONFIG', 'the Gaussian mechanism needs 0 < delta < 1', { path: 'dpDelta' });
  return analyticGaussianSigma(budget.epsilon, budget.delta, s.l2);
}

/**
 * Smallest σ (to 1e-9 relative) with Φ(Δ/2σ − εσ/Δ) − e^ε Φ(−Δ/2σ − εσ/Δ) ≤ δ: the exact (ε, δ) condition of the
 * Gaussian mechanism. δ(σ) falls as σ grows, so bisection finds it; the upper end is returned (errs on privacy's side).
 */
export function analyticGaussianSigma(epsilon: number, delta: number, l2: number): number {
  if (l2 === 0) return 0;
  const deltaOf = (sigma: number): number => {
    const a = l2 / (2 * sigma);
    const b = (epsilon * sigma) / l2;
    // e^ε Φ(x) in log space: e^10 times a tail probability must not overflow or lose the tail
    return normalCdf(a - b) - Math.exp(epsilon + logNormalCdf(-a - b));
  };
  let lo = 1e-12 * l2;
  let hi = l2;
  while (deltaOf(hi) > delta) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (deltaOf(mid) > delta) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** One Laplace(0, b) draw from a uniform u in [0, 1) by inverting the CDF. */
export function laplaceFromUniform(u: number, b: number): number {
  const c = u - 0.5;
  // 1 - 2|c| is in (0, 1]: u = 0 maps to a large finite value, never Infinity
  return -b * Math.sign(c) * Math.log(Math.max(1 - 2 * Math.abs(c), Number.MIN_VALUE));
}

/** One N(0, σ²) draw from two uniforms in [0, 1) (Box–Muller). */
export function gaussianFromUniforms(u1: number, u2: number, sigma: number): number {
  return sigma * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/** One noise draw of the budget's mechanism at `scale` from two uniforms (Laplace uses only the first). */
export function noiseFromUniforms(mechanism: DpMechanism, u1: number, u2: number, scale: number): number {
  if (scale === 0) return 0;
  return mechanism === 'laplace' ? laplaceFromUniform(u1, scale) : gaussianFromUniforms(u1, u2, scale);
}

/** Standard normal CDF through erfc (relative error < 1.2e-7 also far in the tails). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function logNormalCdf(x: number): number {
  if (x > -5) return Math.log(normalCdf(x));
  // far tail: erfc(z) = t exp(-z² + poly(t)) in erfcParts, so take its log without underflow
  const z = -x / Math.SQRT2;
  const { t, exponent } = erfcParts(z);
  return Math.log(0.5 * t) + exponent;
}

/** erfc from Numerical Recipes' Chebyshev fit: erfc(z) = t · exp(exponent) for z ≥ 0. */
function erfcParts(z: number): { t: number; exponent: number } {
  const t = 1 / (1 + 0.5 * z);
  const exponent = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
    + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return { t, exponent };
}

function erfc(x: number): number {
  const { t, exponent } = erfcParts(Math.abs(x));
  const r = t * Math.exp(exponent);
  return x >= 0 ? r : 2 - r;
}
