import { EngineError } from '../../core/errors.js';
import type { FusionRanker } from '../../models/fusion-ranker.js';

/** The ranker's stored shape lives with the model bundle (models/), which carries it. */
export type { FusionRanker } from '../../models/fusion-ranker.js';

export interface LogisticFit {
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  iterations: number;
}

export interface LogisticOptions {
  /** L2 penalty on the (standardised) weights, per training row; the bias is not penalised. Default 1e-3. */
  l2?: number;
  /** Newton steps at most; default 25. */
  maxIterations?: number;
}

function standardise(x: Float64Array, width: number, rows: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(width).fill(0);
  const sq = new Array<number>(width).fill(0);
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) mean[j] += x[r * width + j] / rows;
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) sq[j] += (x[r * width + j] - mean[j]) ** 2 / rows;
  // A constant feature keeps scale 1: its standardised value is 0 and the penalty holds its weight at 0.
  return { mean, scale: sq.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

/** Solves A x = b in place for a symmetric positive definite A (n × n, row-major) by Cholesky. */
function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) l[i * n + i] = Math.sqrt(Math.max(s, 1e-12));
      else l[i * n + j] = s / l[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const out = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * out[k];
    out[i] = s / l[i * n + i];
  }
  return out;
}

const sigmoid = (t: number): number => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

/**
 * L2-regularised logistic regression by Newton's method (the feature count is small, so each step solves a
 * (features + 1)² system exactly; a step is halved until the penalised loss falls, so nearly separable data cannot
 * make it overshoot; no learning rate, no randomness: the same rows always give the same weights).
 * `x` is row-major with `width` columns; labels are 1 (relevant) or 0.
 *
 * @example fitLogistic(Float64Array.from([0, 1, 1, 0]), 1, Uint8Array.from([0, 1, 1, 0])).weights[0] > 0 // true
 */
export function fitLogistic(x: Float64Array, width: number, labels: Uint8Array, opts: LogisticOptions = {}): LogisticFit {
  const rows = labels.length;
  if (rows === 0 || x.length !== rows * width) throw new EngineError('INVALID_INPUT', `fitLogistic needs rows × ${width} features and one label per row`);
  const l2 = opts.l2 ?? 1e-3;
  const { mean, scale } = standardise(x, width, rows);
  const n = width + 1; // the last coefficient is the bias
  const z = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < width; j++) z[r * n + j] = (x[r * width + j] - mean[j]) / scale[j];
    z[r * n + width] = 1;
  }
  const beta = new Float64Array(n);
  const positives = labels.reduce((s, v) => s + v, 0);
  // Start the bias at the base rate so the first step is already close.
  const rate = Math.min(Math.max(positives / rows, 1e-6), 1 - 1e-6);
  beta[width] = Math.log(rate / (1 - rate));
  // Penalised mean log-loss of coefficients b (the step search below only accepts steps that lower it).
  const objective = (b: Float64Array): number => {
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += z[r * n + j] * b[j];
      // log(1 + e^t) - y t, computed without overflow
      loss += (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - labels[r] * t;
    }
    let penalty = 0;
    for (let j = 0; j < width; j++) penalty += b[j] * b[j];
    return loss / rows + (l2 / 2) * penalty;
  };
  let current = objective(beta);
  let iterations = 0;
  for (; iterations < (opts.maxIterations ?? 25); iterations++) {
    const grad = new Float64Array(n);
    const hess = new Float64Array(n * n);
    for (let r = 0; r < rows; r++) {
      const row = z.subarray(r * n, r * n + n);
      let t = 0;
      for (let j = 0; j < n; j++) t += row[j] * beta[j];
      const p = sigmoid(t);
      const w = Math.max(p * (1 - p), 1e-12);
      const e = p - labels[r];
      for (let i = 0; i < n; i++) {
        grad[i] += (e * row[i]) / rows;
        const wi = (w * row[i]) / rows;
        for (let j = 0; j <= i; j++) hess[i * n + j] += wi * row[j];
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) hess[j * n + i] = hess[i * n + j];
    for (let j = 0; j < width; j++) {
      grad[j] += l2 * beta[j];
      hess[j * n + j] += l2;
    }
    // A tiny ridge on the bias keeps the system well posed when the data are (nearly) separable.
    hess[width * n + width] += 1e-9;
    const step = solveSpd(hess, grad, n);
    // Backtracking: halve the Newton step until the objective falls (separable data would otherwise overshoot).
    let scaleStep = 1;
    let next = beta.map((b, j) => b - step[j]);
    let value = objective(next);
    while (value > current && scaleStep > 1e-6) {
      scaleStep /= 2;
      next = beta.map((b, j) => b - scaleStep * step[j]);
      value = objective(next);
    }
    let moved = 0;
    for (let j = 0; j < n; j++) moved = Math.max(moved, Math.abs(next[j] - beta[j]));
    if (value > current) break;
    beta.set(next);
    const gain = current - value;
    current = value;
    if (moved < 1e-8 || gain < 1e-12) {
      iterations++;
      break;
    }
  }
  return { mean, scale, weights: Array.from(beta.subarray(0, width)), bias: beta[width], iterations };
}

/**
 * The ranker's score (logit) of each feature row; higher ranks first.
 *
 * @example scoreRows(ranker, candidateFeatures(candidates, ranker.channels, inputs))
 */
export function scoreRows(ranker: Pick<FusionRanker, 'mean' | 'scale' | 'weights' | 'bias'>, x: Float64Array): Float64Array {
  const width = ranker.weights.length;
  const rows = width > 0 ? x.length / width : 0;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let t = ranker.bias;
    for (let j = 0; j < width; j++) t += ranker.weights[j] * ((x[r * width + j] - ranker.mean[j]) / ranker.scale[j]);
    out[r] = t;
  }
  return out;
}
