import type { Vec } from './dense.js';

export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay (AdamW), applied as w −= lr · decay · w. */
  weightDecay: number;
}

/**
 * Adam (Kingma & Ba) with bias correction and optional decoupled weight decay, over one flat parameter buffer.
 *
 * @example const opt = new Adam(params.length, { learningRate: 1e-3, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0 }); opt.step(params, grads)
 */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(size: number, private readonly opts: AdamOptions) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One update of `params` from `grads` (same length). */
  step(params: Vec, grads: Vec): void {
    const { learningRate: lr, beta1, beta2, epsilon, weightDecay } = this.opts;
    this.t++;
    const c1 = 1 / (1 - Math.pow(beta1, this.t));
    const c2 = 1 / (1 - Math.pow(beta2, this.t));
    const { m, v } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      params[i] -= lr * ((m[i] * c1) / (Math.sqrt(v[i] * c2) + epsilon) + weightDecay * params[i]);
    }
  }
}
