import { mulberry32 } from '../linalg/random.js';
import type { Vec } from './dense.js';
import { lossAndGradients, type TrainingBatch } from './network.js';
import { networkViews, type NetworkParams, type NetworkShape } from './parameters.js';

/**
 * Windows per gradient shard. Every batch is cut into shards of this many windows whatever the thread count, and each
 * shard's gradient is computed on its own and summed in shard order, so training gives the same weights on 1 or N
 * threads. 8 windows (~400 tokens at L = 50) keeps the products large enough for the SIMD kernel.
 */
export const SHARD_WINDOWS = 8;

/** One shard of an optimiser step: its batch and the seed of its dropout masks. */
export interface ShardJob {
  /** Index of the shard within the step (which gradient buffer it fills). */
  shard: number;
  batch: TrainingBatch;
  dropSeed: number;
}

/** What every shard of one step shares. */
export interface StepJob {
  dropout: number;
  /** The step's sampled negatives (undefined: softmax over every item). */
  negatives?: Int32Array;
  shards: ShardJob[];
}

/**
 * Computes the gradients of a step's shards into per-shard buffers: in this thread (LocalShardGradients) or on worker
 * threads (WorkerShardGradients). `weights` is the buffer the optimiser must update (the workers read it).
 */
export interface ShardGradients {
  readonly weights: NetworkParams;
  /** Fills gradient buffer `job.shard` for every shard and resolves with each shard's mean loss, in shard order. */
  compute(step: StepJob): Promise<number[]>;
  /** The gradient buffer of shard `i` (valid after compute resolves). */
  gradients(i: number): Vec;
  close(): Promise<void>;
}

/**
 * The dropout seed of shard `shard` at optimiser step `step`: a murmur3-style mix, so masks differ between steps and
 * shards yet are the same whichever thread draws them.
 *
 * @example mulberry32(dropoutSeed(42, 10, 1))
 */
export function dropoutSeed(seed: number, step: number, shard: number): number {
  let h = Math.imul(seed ^ 0x5eed, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b) ^ Math.imul(shard + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * One shard's mean loss; its gradients overwrite `g`. The same function runs in the main thread and in workers.
 *
 * @example const loss = shardGradient(weights, grads, shape, job, 0.2, negatives)
 */
export function shardGradient(p: NetworkParams, g: NetworkParams, s: NetworkShape, job: ShardJob, dropout: number, negatives: Int32Array | undefined): number {
  g.flat.fill(0);
  const drop = dropout > 0 ? { rate: dropout, rand: mulberry32(job.dropSeed) } : undefined;
  return lossAndGradients(p, g, s, job.batch, drop, negatives);
}

/**
 * out = Σ_i weights[i] · shards[i], summed in index order (so the result does not depend on which thread made which
 * shard). With weights = each shard's share of the step's tokens this is the gradient of the step's mean loss.
 *
 * @example sumShards(grads.flat, [g0, g1], [0.5, 0.5])
 */
export function sumShards(out: Vec, shards: Vec[], weights: number[]): void {
  out.fill(0);
  shards.forEach((g, i) => {
    const w = weights[i];
    for (let j = 0; j < out.length; j++) out[j] += w * g[j];
  });
}

/** Shard gradients computed one after another in the calling thread (one thread, or float64 gradient checks). */
export class LocalShardGradients implements ShardGradients {
  private readonly buffers: NetworkParams[] = [];

  constructor(readonly weights: NetworkParams, private readonly shape: NetworkShape) {}

  compute(step: StepJob): Promise<number[]> {
    const losses = step.shards.map((job) => {
      while (this.buffers.length <= job.shard) this.buffers.push(networkViews(this.weights.flat.slice().fill(0), this.shape));
      return shardGradient(this.weights, this.buffers[job.shard], this.shape, job, step.dropout, step.negatives);
    });
    return Promise.resolve(losses);
  }

  gradients(i: number): Vec {
    return this.buffers[i].flat;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
