import { adamStepRange, type AdamMoments, type AdamOptions } from './adam.js';
import { MaskStream } from './embedding.js';
import { lossAndGradients, type TrainingBatch } from './network.js';
import { networkViews, type NetworkParams, type NetworkShape } from './parameters.js';
import { ScratchBuffers } from './scratch.js';

/** Tokens a gradient shard holds at most: large enough products for the SIMD kernels, few shards per step. */
const SHARD_TOKENS = 400;

/**
 * Windows per gradient shard for inputs of up to `maxLength` items: 400 tokens' worth (8 windows at L = 50, 20 at
 * L = 20). Every batch is cut into shards of this many windows whatever the thread count, and each shard's gradient is
 * computed on its own and summed in shard order, so training gives the same weights on 1 or N threads. Each shard
 * also packs the step's candidates and keeps its own gradient buffer, so shards of fewer tokens cost more per token.
 *
 * @example shardWindows(20) // 20
 */
export function shardWindows(maxLength: number): number {
  return Math.max(1, Math.floor(SHARD_TOKENS / maxLength));
}

/** One shard of an optimiser step: its batch and the seed of its dropout masks. */
export interface ShardJob {
  /** Index of the shard within the step (which gradient buffer it fills). */
  shard: number;
  batch: TrainingBatch;
  dropSeed: number;
}

/** One optimiser step: its shards (numbered 0, 1, ... in order) and what they share. */
export interface StepJob {
  dropout: number;
  /** The step's sampled negatives (undefined: softmax over every item). */
  negatives?: Int32Array;
  shards: ShardJob[];
  /** Each shard's weight in the step's gradient (its share of the step's tokens), in shard order. */
  shares: number[];
}

/**
 * Runs optimiser steps over sharded batches: every shard's gradient into its own buffer, then one Adam update from
 * their share-weighted sum in shard order. In this thread (LocalShardTrainer) or on worker threads
 * (WorkerShardTrainer), with the same arithmetic, so both give the same weights. `weights` is the buffer trained.
 */
export interface ShardTrainer {
  readonly weights: NetworkParams;
  /** One step; resolves with each shard's mean loss, in shard order. */
  step(job: StepJob): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * The dropout seed of shard `shard` at optimiser step `step`: a murmur3-style mix, so masks differ between steps and
 * shards yet are the same whichever thread draws them.
 *
 * @example new MaskStream(dropoutSeed(42, 10, 1))
 */
export function dropoutSeed(seed: number, step: number, shard: number): number {
  let h = Math.imul(seed ^ 0x5eed, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b) ^ Math.imul(shard + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** This thread's reused buffers of shardGradient (whose results never outlive the call). */
const scratch = new ScratchBuffers();

/**
 * One shard's mean loss; its gradients overwrite `g`. The same function runs in the main thread and in workers.
 *
 * @example const loss = shardGradient(weights, grads, shape, job, 0.2, negatives)
 */
export function shardGradient(p: NetworkParams, g: NetworkParams, s: NetworkShape, job: ShardJob, dropout: number, negatives: Int32Array | undefined): number {
  g.flat.fill(0);
  const drop = dropout > 0 ? { rate: dropout, masks: new MaskStream(job.dropSeed) } : undefined;
  scratch.reset();
  return lossAndGradients(p, g, s, job.batch, drop, negatives, scratch.zeros);
}

/** Shard gradients and Adam in the calling thread (one thread, or float64 gradient checks). */
export class LocalShardTrainer implements ShardTrainer {
  private readonly buffers: NetworkParams[] = [];
  private readonly moments: AdamMoments;
  private t = 0;

  constructor(readonly weights: NetworkParams, private readonly shape: NetworkShape, private readonly adam: AdamOptions) {
    this.moments = { m: new Float64Array(weights.flat.length), v: new Float64Array(weights.flat.length) };
  }

  step(job: StepJob): Promise<number[]> {
    const losses = job.shards.map((shard) => {
      while (this.buffers.length <= shard.shard) this.buffers.push(networkViews(this.weights.flat.slice().fill(0), this.shape));
      return shardGradient(this.weights, this.buffers[shard.shard], this.shape, shard, job.dropout, job.negatives);
    });
    const grads = job.shards.map((_, i) => this.buffers[i].flat);
    adamStepRange(this.weights.flat, grads, job.shares, this.moments, ++this.t, this.adam, 0, this.weights.flat.length);
    return Promise.resolve(losses);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
