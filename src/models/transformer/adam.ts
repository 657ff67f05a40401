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
  const { learningRate: lr, beta1, beta2, epsilon, weightDecay } = opts;
  const c1 = 1 / (1 - Math.pow(beta1, t));
  const c2 = 1 / (1 - Math.pow(beta2, t));
  const { m, v } = moments;
  for (let i = from; i < to; i++) {
    let g = 0;
    for (let s = 0; s < shards.length; s++) g += weights[s] * shards[s][i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    params[i] -= lr * ((m[i] * c1) / (Math.sqrt(v[i] * c2) + epsilon) + weightDecay * params[i]);
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
