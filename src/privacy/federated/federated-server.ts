import type { FederatedRound, FederatedUpdate } from '../../client/federated.js';
import { EngineError } from '../../core/errors.js';
import { mulberry32, mulberry32At } from '../../models/linalg/random.js';

export type FederatedOptimizer = 'adam' | 'sgd';

export interface FederatedServerOptions {
  /** Item ids in index order (the round model's rows). */
  items: readonly string[];
  factors: number;
  /** λ as in ALS (frequency-scaled: the server adds each client's λ‖y_i‖² share, clients add λ per history item). */
  regularization: number;
  alpha: number;
  optimizer: FederatedOptimizer;
  learningRate: number;
  /** Share of the enrolled clients asked to take part in each round, in (0, 1]. */
  clientFraction: number;
  /** L2 bound C each client clips its update to; absent: no clipping (then no noise). */
  clipNorm?: number;
  /** σ: clients add N(0, (σC)²) to every coordinate. */
  noiseMultiplier: number;
  /** Seeds the initial item factors (uniform in [0, 0.01), as ALS) and the clients sampled in each round. */
  seed: number;
}

export interface RoundReport {
  round: number;
  clients: number;
  /** L2 norm of the averaged client update (clipped and noised as received), and of the step applied to Y. */
  meanUpdateNorm: number;
  stepNorm: number;
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

/**
 * The server of federated ALS (FCF, Ammad-ud-din et al. 2019): holds the item factors, publishes them each round,
 * samples the clients asked to take part, averages the updates they send and steps the item factors with Adam or
 * SGD. User vectors never reach it. The step direction is the gradient of the ALS loss per user,
 * mean_u ∂F_u/∂Y + 2λY (see models/als/item-gradient.ts): with every client, no clipping and no noise it is exactly
 * the central loss's gradient divided by the number of users. No secure aggregation: the server sees each update.
 *
 * @example
 * const server = new FederatedAlsServer({ items, factors: 64, regularization: 0.02, alpha: 1, optimizer: 'adam', learningRate: 0.01, clientFraction: 0.1, clipNorm: 1, noiseMultiplier: 0, seed: 7 });
 * const round = server.roundModel(); const asked = server.sampleClients(devices.length);
 * server.applyRound(asked.map((d) => federatedUpdate(round, historyOf(devices[d]))));
 */
export class FederatedAlsServer {
  readonly stride: number;
  private readonly y: Float32Array;
  private readonly moment1: Float64Array;
  private readonly moment2: Float64Array;
  private gram?: Float32Array;
  private step = 0;

  constructor(readonly options: Readonly<FederatedServerOptions>) {
    const o = options;
    if (!Number.isInteger(o.factors) || o.factors < 1) throw invalid('factors must be a positive integer', 'factors');
    if (o.items.length === 0) throw invalid('a federated model needs items', 'items');
    if (!(o.regularization > 0) || !(o.alpha >= 0)) throw invalid('regularization must be > 0 and alpha ≥ 0', 'regularization');
    if (!(o.learningRate > 0)) throw invalid('learningRate must be > 0', 'learningRate');
    if (!(o.clientFraction > 0 && o.clientFraction <= 1)) throw invalid('clientFraction must be in (0, 1]', 'clientFraction');
    if (o.clipNorm !== undefined && !(o.clipNorm > 0 && Number.isFinite(o.clipNorm))) throw invalid('clipNorm must be a positive number', 'clipNorm');
    if (!(o.noiseMultiplier >= 0) || (o.noiseMultiplier > 0 && o.clipNorm === undefined)) throw invalid('noise needs clipNorm and noiseMultiplier ≥ 0', 'noiseMultiplier');
    this.stride = Math.ceil(o.factors / 8) * 8;
    this.y = new Float32Array(o.items.length * this.stride);
    const rand = mulberry32(o.seed);
    for (let i = 0; i < o.items.length; i++) for (let a = 0; a < o.factors; a++) this.y[i * this.stride + a] = rand() * 0.01;
    this.moment1 = new Float64Array(o.items.length * o.factors);
    this.moment2 = new Float64Array(o.items.length * o.factors);
  }

  /** Rounds completed so far; the next round model carries this number. */
  get round(): number {
    return this.step;
  }

  /** The current item factors (items × stride), read-only view for evaluation and publishing. */
  get itemFactors(): Float32Array {
    return this.y;
  }

  /** What clients need for the current round. The arrays are the server's own: do not mutate them. */
  roundModel(): FederatedRound {
    this.gram ??= gramOf(this.y, this.options.items.length, this.stride);
    const o = this.options;
    return {
      round: this.step,
      items: o.items,
      factors: o.factors,
      stride: this.stride,
      alpha: o.alpha,
      regularization: o.regularization,
      itemFactors: this.y,
      itemGram: this.gram,
      ...(o.clipNorm !== undefined ? { clipNorm: o.clipNorm } : {}),
      noiseMultiplier: o.noiseMultiplier,
    };
  }

  /**
   * The clients (indices into the enrolled population, sorted) asked to take part in the current round: a uniform
   * sample without replacement of round(fraction · population) clients, at least one, seeded by (seed, round).
   */
  sampleClients(population: number): Int32Array {
    if (!Number.isInteger(population) || population < 1) throw invalid('population must be a positive integer', 'population');
    const count = Math.max(1, Math.round(this.options.clientFraction * population));
    const order = Int32Array.from({ length: population }, (_, i) => i);
    const rand = mulberry32(Math.floor(mulberry32At(this.options.seed, this.step) * 4294967296));
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(rand() * (population - i));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order.slice(0, count).sort();
  }

  /**
   * Averages the round's updates, adds the λ‖y‖² share every user brings, and takes one optimizer step on the item
   * factors. Refuses updates for another round (CONFLICT) or of the wrong shape (INVALID_INPUT).
   */
  applyRound(updates: readonly FederatedUpdate[]): RoundReport {
    const n = this.options.items.length;
    const f = this.options.factors;
    if (updates.length === 0) throw invalid('a round needs at least one update', 'updates');
    const mean = new Float64Array(n * f);
    updates.forEach((u, c) => {
      if (u.round !== this.step) throw new EngineError('CONFLICT', `update for round ${u.round}, the current round is ${this.step}`, { row: c });
      if (u.gradient.length !== n * f) throw invalid(`update has ${u.gradient.length} values, expected ${n * f}`, 'gradient', c);
      for (let a = 0; a < mean.length; a++) mean[a] += u.gradient[a];
    });
    let meanSq = 0;
    for (let a = 0; a < mean.length; a++) {
      mean[a] /= updates.length;
      meanSq += mean[a] * mean[a];
    }
    if (!Number.isFinite(meanSq)) throw invalid('an update holds a value that is not finite', 'gradient');
    const stepSq = this.descend(mean);
    this.step++;
    this.gram = undefined;
    return { round: this.step - 1, clients: updates.length, meanUpdateNorm: Math.sqrt(meanSq), stepNorm: Math.sqrt(stepSq) };
  }

  /** One optimizer step along mean + 2λY; returns the squared norm of the step. */
  private descend(mean: Float64Array): number {
    const { factors: f, learningRate: lr, regularization: lambda, optimizer } = this.options;
    const t = this.step + 1;
    const correct1 = 1 - ADAM_BETA1 ** t;
    const correct2 = 1 - ADAM_BETA2 ** t;
    let stepSq = 0;
    for (let i = 0; i < this.options.items.length; i++) {
      for (let a = 0; a < f; a++) {
        const p = i * f + a;
        const yp = i * this.stride + a;
        const g = mean[p] + 2 * lambda * this.y[yp];
        let delta: number;
        if (optimizer === 'sgd') delta = lr * g;
        else {
          this.moment1[p] = ADAM_BETA1 * this.moment1[p] + (1 - ADAM_BETA1) * g;
          this.moment2[p] = ADAM_BETA2 * this.moment2[p] + (1 - ADAM_BETA2) * g * g;
          delta = (lr * (this.moment1[p] / correct1)) / (Math.sqrt(this.moment2[p] / correct2) + ADAM_EPSILON);
        }
        this.y[yp] -= delta;
        stepSq += delta * delta;
      }
    }
    return stepSq;
  }
}

/** YᵀY (stride × stride), each entry one float64 sum rounded to float32. */
function gramOf(y: Float32Array, rows: number, stride: number): Float32Array {
  const g = new Float32Array(stride * stride);
  for (let a = 0; a < stride; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += y[i * stride + a] * y[i * stride + b];
      g[a * stride + b] = s;
      g[b * stride + a] = s;
    }
  }
  return g;
}

function invalid(message: string, path: string, row?: number): EngineError {
  return new EngineError('INVALID_INPUT', message, { path, ...(row !== undefined ? { row } : {}) });
}
