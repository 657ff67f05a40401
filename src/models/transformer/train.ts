import type { FitControl } from '../fit-control.js';
import { mulberry32 } from '../linalg/random.js';
import type { AdamOptions } from './adam.js';
import { dropoutSeed, LocalShardTrainer, shardWindows, type ShardJob, type ShardTrainer } from './gradient-shards.js';
import { HOLDOUT_MAX_USERS, heldOutLoss, splitHoldout } from './holdout.js';
import { tokenBatchOf, type TrainingBatch } from './network.js';
import { WorkerShardTrainer } from './parallel-trainer.js';
import { sampleNegatives } from './softmax-loss.js';
import { seenItemsOf } from './seen-items.js';
import type { NetworkParams, NetworkShape } from './parameters.js';

/** A training window: inputs seq[from .. from + length − 1], each predicting the item after it. */
interface Window {
  user: number;
  from: number;
  length: number;
}

export interface TrainingOptions {
  epochs: number;
  /** Windows (sequences of up to maxLength inputs) per optimiser step. */
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  dropout: number;
  /** Sampled negatives shared by a batch's tokens; 0 = softmax over every item. */
  negatives: number;
  /** Items ahead each token predicts (K; 1 = the next item only). */
  targetWindow: number;
  /** Weight of the item d steps ahead: targetDecay^(d − 1), normalised over the token's targets. */
  targetDecay: number;
  seed: number;
  /** Leave each token's seen items (its window's and up to SEEN_HISTORY before it) out of its softmax. */
  maskSeen?: boolean;
  /** Worker threads computing shard gradients (1: all in the calling thread); the weights do not depend on it. */
  threads: number;
  /**
   * Early stopping: with patience P > 0 the latest item of up to HOLDOUT_MAX_USERS users is held out of training, its
   * loss measured after every epoch, and training stops once P epochs in a row have not lowered it; the weights of the
   * best epoch are kept. 0 trains every epoch on every item.
   */
  patience?: number;
  /** Called after each epoch with its number (1-based), mean training loss, and held-out loss when early stopping. */
  afterEpoch?: (epoch: number, loss: number, heldOut?: number) => void | Promise<void>;
}

export interface TrainingReport {
  steps: number;
  tokensPerEpoch: number;
  /** Mean training cross-entropy of each epoch. */
  losses: number[];
  /** Held-out loss after each epoch (early stopping only). */
  heldOutLosses: number[];
  /** The epoch whose weights were kept (the last one without early stopping). */
  bestEpoch: number;
}

/**
 * Cuts every sequence into windows of at most `maxLength` inputs, from the end backwards, so every item but each
 * user's first is a target exactly once per epoch; the window holding the latest items matches what inference sees.
 *
 * @example trainingWindows([Int32Array.of(1, 2, 3, 4)], 2) // inputs [2, 3] → [3, 4] and [1] → [2]
 */
export function trainingWindows(sequences: Int32Array[], maxLength: number): Window[] {
  const out: Window[] = [];
  sequences.forEach((seq, user) => {
    // the window's last target is seq[end]; its inputs are seq[end − length .. end − 1]
    for (let end = seq.length - 1; end >= 1; end -= maxLength) {
      const length = Math.min(maxLength, end);
      out.push({ user, from: end - length, length });
    }
  });
  return out;
}

/** Optimiser steps in one epoch. */
export function stepsPerEpoch(sequences: Int32Array[], maxLength: number, batchSize: number): number {
  return Math.ceil(trainingWindows(sequences, maxLength).length / batchSize);
}

/** What each token of a batch predicts: its next `window` items, the d-th weighted decay^(d − 1). */
export interface TargetSpec {
  window: number;
  decay: number;
}

/**
 * Each token's next K items (tokens x K, −1 past the sequence's end) and their weights, normalised per token so a
 * token near the end, with fewer items ahead, weighs the same as every other. Targets may lie past the window's end:
 * only the inputs are cut to maxLength.
 *
 * @example futureTargetsOf(trainingWindows([Int32Array.of(1, 2, 3)], 50), seqs, 2, { window: 2, decay: 0.5 })
 * // tokens 1, 2 → targets [2, 3], [3, −1]; weights [2/3, 1/3], [1, 0]
 */
export function futureTargetsOf(windows: Window[], sequences: Int32Array[], tokens: number, spec: TargetSpec): { futureTargets: Int32Array; futureWeights: Float32Array } {
  const K = spec.window;
  const futureTargets = new Int32Array(tokens * K).fill(-1);
  const futureWeights = new Float32Array(tokens * K);
  let t = 0;
  for (const w of windows) {
    const seq = sequences[w.user];
    for (let i = 0; i < w.length; i++, t++) {
      let total = 0;
      for (let k = 0, weight = 1; k < K && w.from + i + 1 + k < seq.length; k++, weight *= spec.decay) {
        futureTargets[t * K + k] = seq[w.from + i + 1 + k];
        futureWeights[t * K + k] = weight;
        total += weight;
      }
      for (let k = 0; k < K; k++) futureWeights[t * K + k] /= total;
    }
  }
  return { futureTargets, futureWeights };
}

function batchOf(windows: Window[], sequences: Int32Array[], maxLength: number, spec: TargetSpec, maskSeen: boolean): TrainingBatch {
  const { items, positions, seg } = tokenBatchOf(windows.map((w) => sequences[w.user].subarray(w.from, w.from + w.length)), maxLength);
  const targets = new Int32Array(items.length);
  windows.forEach((w, s) => targets.set(sequences[w.user].subarray(w.from + 1, w.from + w.length + 1), seg.start[s]));
  const batch: TrainingBatch = { items, targets, positions, seg };
  if (maskSeen) batch.seen = seenItemsOf(windows.map((w) => ({ seq: sequences[w.user], from: w.from, length: w.length })), seg.start);
  return spec.window > 1 ? { ...batch, ...futureTargetsOf(windows, sequences, items.length, spec) } : batch;
}

/**
 * Trains the network in place with Adam on cross-entropy of each token's next item (or next `targetWindow` items,
 * decay-weighted), shuffling the windows each epoch with a seeded generator. Each batch is cut into shards of
 * shardWindows(maxLength) windows whose gradients are computed apart (on `threads` worker threads when above 1, which then split
 * the Adam update) with dropout masks seeded by step and shard, then summed in shard order: the weights are the same
 * for every thread count. Progress counts optimiser steps; `control` cancels between steps.
 *
 * @example const report = await trainNetwork(params, shape, sequences, opts, control)
 */
export async function trainNetwork(p: NetworkParams, s: NetworkShape, allSequences: Int32Array[], opts: TrainingOptions, control: FitControl): Promise<TrainingReport> {
  const patience = opts.patience ?? 0;
  const { training: sequences, holdout } = patience > 0 ? splitHoldout(allSequences, s.maxLength, HOLDOUT_MAX_USERS, mulberry32(opts.seed ^ 0x401d), opts.maskSeen) : { training: allSequences, holdout: undefined };
  const windows = trainingWindows(sequences, s.maxLength);
  const tokensPerEpoch = windows.reduce((sum, w) => sum + w.length, 0);
  const rand = mulberry32(opts.seed ^ 0x5eed);
  const perShard = shardWindows(s.maxLength);
  const maxShards = Math.ceil(Math.min(opts.batchSize, windows.length) / perShard);
  const parallel = opts.threads > 1 && maxShards > 1 && p.flat instanceof Float32Array;
  const adam: AdamOptions = { learningRate: opts.learningRate, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: opts.weightDecay };
  const trainer: ShardTrainer = parallel ? WorkerShardTrainer.start(p, s, adam, Math.min(opts.threads, maxShards), maxShards) : new LocalShardTrainer(p, s, adam);
  const weights = trainer.weights;
  const targets: TargetSpec = { window: opts.targetWindow, decay: opts.targetDecay };
  const losses: number[] = [];
  const heldOutLosses: number[] = [];
  let best = { loss: Infinity, epoch: 0, flat: undefined as NetworkParams['flat'] | undefined };
  let steps = 0;
  try {
    for (let epoch = 0; epoch < opts.epochs && windows.length > 0; epoch++) {
      shuffle(windows, rand);
      let lossSum = 0;
      for (let b = 0; b < windows.length; b += opts.batchSize) {
        const batch = windows.slice(b, b + opts.batchSize);
        const jobs: ShardJob[] = [];
        for (let i = 0; i * perShard < batch.length; i++) {
          const shardBatch = batchOf(batch.slice(i * perShard, (i + 1) * perShard), sequences, s.maxLength, targets, opts.maskSeen ?? false);
          jobs.push({ shard: i, batch: shardBatch, dropSeed: dropoutSeed(opts.seed, steps, i) });
        }
        const negatives = opts.negatives > 0 ? sampleNegatives(s.items, opts.negatives, rand) : undefined;
        // each shard's loss is its tokens' mean: weighting by token share gives the batch's mean and its gradient
        const tokens = jobs.reduce((sum, j) => sum + j.batch.items.length, 0);
        const shares = jobs.map((j) => j.batch.items.length / tokens);
        const shardLosses = await trainer.step({ dropout: opts.dropout, negatives, shards: jobs, shares });
        shardLosses.forEach((loss, i) => (lossSum += loss * jobs[i].batch.items.length));
        steps++;
        await control.step(steps);
      }
      losses.push(lossSum / tokensPerEpoch);
      // afterEpoch and the held-out loss read the caller's weights (learning curves score the model between epochs)
      if (weights !== p) p.flat.set(weights.flat);
      const heldOut = holdout && heldOutLoss(p, s, holdout);
      await opts.afterEpoch?.(epoch + 1, lossSum / tokensPerEpoch, heldOut);
      if (heldOut === undefined) continue;
      heldOutLosses.push(heldOut);
      if (heldOut < best.loss) best = { loss: heldOut, epoch: epoch + 1, flat: p.flat.slice() };
      else if (epoch + 1 - best.epoch >= patience) break;
    }
  } finally {
    await trainer.close();
  }
  if (best.flat) p.flat.set(best.flat);
  else if (weights !== p) p.flat.set(weights.flat);
  return { steps, tokensPerEpoch, losses, heldOutLosses, bestEpoch: best.flat ? best.epoch : losses.length };
}

function shuffle<T>(a: T[], rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}
