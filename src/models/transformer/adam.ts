import type { Vec } from './dense.js';

export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay (AdamW), applied as w −= lr · decay · w. */
  weightDecay: number;
}

/** Adam's moments over one flat parameter buffer (Float64Array, or views of shared memory for worker threads). */
export interface AdamMoments {
  m: Float64Array;
  v: Float64Array;
}

/**
 * Adam update number `t` (1-based) of params[from .. to − 1] from the gradient Σ_s weights[s] · shards[s] (summed in
 * shard order, in double precision). Element-wise, so disjoint ranges can run on different threads and give exactly
 * what one pass over the whole buffer gives.
 *
 * @example adamStepRange(params, [grads], [1], moments, 1, opts, 0, params.length)
 */
export function adamStepRange(params: Vec, shards: Vec[], weights: number[], moments: AdamMoments, t: number, opts: AdamOptions, from: number, to: number): void {
  const c1 = 1 / (1 - Math.pow(opts.beta1, t));
  const c2 = 1 / (1 - Math.pow(opts.beta2, t));
  // the per-element loop over an array of shards cost ~3x the update itself: one or two shards (a batch of up to
  // 2 · shardWindows(L) windows) are read directly, more are first summed into a float64 block
  if (shards.length === 1) return adamUpdate(params, shards[0], weights[0], shards[0], 0, moments, c1, c2, opts, from, to);
  if (shards.length === 2) return adamUpdate(params, shards[0], weights[0], shards[1], weights[1], moments, c1, c2, opts, from, to);
  const g = new Float64Array(Math.min(BLOCK, to - from));
  for (let at = from; at < to; at += BLOCK) {
    const len = Math.min(BLOCK, to - at);
    g.fill(0, 0, len);
    for (let s = 0; s < shards.length; s++) {
      const shard = shards[s];
      const w = weights[s];
      for (let k = 0; k < len; k++) g[k] += w * shard[at + k];
    }
    adamUpdate(params.subarray(at, at + len), g, 1, g, 0, { m: moments.m.subarray(at, at + len), v: moments.v.subarray(at, at + len) }, c1, c2, opts, 0, len);
  }
}

/** Elements summed at a time when a step has more than two shards: 32 KiB of float64, cache-resident. */
const BLOCK = 4096;

/** The update of params[from .. to − 1] from the gradient w0 · g0 + w1 · g1, summed in double precision. */
function adamUpdate(params: Vec, g0: Vec, w0: number, g1: Vec, w1: number, moments: AdamMoments, c1: number, c2: number, opts: AdamOptions, from: number, to: number): void {
  const { learningRate: lr, beta1, beta2, epsilon, weightDecay } = opts;
  const { m, v } = moments;
  for (let i = from; i < to; i++) {
    const g = w0 * g0[i] + w1 * g1[i];
    const mi = beta1 * m[i] + (1 - beta1) * g;
    const vi = beta2 * v[i] + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] -= lr * ((mi * c1) / (Math.sqrt(vi * c2) + epsilon) + weightDecay * params[i]);
  }
}

/**
 * Adam (Kingma & Ba) with bias correction and optional decoupled weight decay, over one flat parameter buffer.
 *
 * @example const opt = new Adam(params.length, { learningRate: 1e-3, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0 }); opt.step(params, grads)
 */
export class Adam {
  private readonly moments: AdamMoments;
  private t = 0;

  constructor(size: number, private readonly opts: AdamOptions) {
    this.moments = { m: new Float64Array(size), v: new Float64Array(size) };
  }

  /** One update of `params` from `grads` (same length). */
  step(params: Vec, grads: Vec): void {
    adamStepRange(params, [grads], [1], this.moments, ++this.t, this.opts, 0, params.length);
  }
}
