/**
 * Worker-thread entry of data-parallel Transformer training (started by parallel-trainer.ts; never imported by the
 * main thread). It views the shared weights, Adam moments and per-shard gradient buffers. For each step message it
 * computes the gradients of the shards it was given (shardGradient, the code the main thread runs alone), waits at a
 * barrier until every worker has done so, then applies Adam to its own slice of the weights (adamStepRange).
 * Nothing runs at import time unless this file is the entry of a worker.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { errorMessage } from '../../core/errors.js';
import { adamStepRange, type AdamOptions } from './adam.js';
import { shardGradient, type StepJob } from './gradient-shards.js';
import { networkViews, type NetworkShape } from './parameters.js';

/** What the main thread hands each worker at start. */
export interface TrainingWorkerData {
  shape: NetworkShape;
  adam: AdamOptions;
  /** Worker count and this worker's number: it updates weights [from, to). */
  workers: number;
  from: number;
  to: number;
  weights: SharedArrayBuffer;
  /** Float64 Adam moments. */
  m: SharedArrayBuffer;
  v: SharedArrayBuffer;
  /** One float32 gradient buffer per shard index (the worker writes only the shards it is sent). */
  gradients: SharedArrayBuffer[];
  /** Int32 arrivals counter of the barrier between the gradient and update phases. */
  barrier: SharedArrayBuffer;
}

export interface TrainingWorkerRequest {
  id: number;
  /** This worker's shards of the step; `shares` covers every shard of the step. */
  step: StepJob;
  /** Adam's update number (1-based); the barrier waits for workers · t arrivals. */
  t: number;
}

export type TrainingWorkerReply = { id: number; losses: number[] } | { id: number; error: string };

/** Arrives at the barrier for update `t` and waits (in slices, so terminate() can get in) until every worker has. */
function arriveAndWait(barrier: Int32Array, target: number): void {
  if (Atomics.add(barrier, 0, 1) + 1 >= target) {
    Atomics.notify(barrier, 0);
    return;
  }
  for (let seen = Atomics.load(barrier, 0); seen < target; seen = Atomics.load(barrier, 0)) Atomics.wait(barrier, 0, seen, 100);
}

function serve(port: MessagePort, data: TrainingWorkerData): void {
  const weights = networkViews(new Float32Array(data.weights), data.shape);
  const gradients = data.gradients.map((b) => networkViews(new Float32Array(b), data.shape));
  const moments = { m: new Float64Array(data.m), v: new Float64Array(data.v) };
  const barrier = new Int32Array(data.barrier);
  port.on('message', ({ id, step, t }: TrainingWorkerRequest) => {
    let losses: number[] = [];
    let error: string | undefined;
    try {
      losses = step.shards.map((job) => shardGradient(weights, gradients[job.shard], data.shape, job, step.dropout, step.negatives));
    } catch (err) {
      error = errorMessage(err);
    }
    // arrive even after an error, so the other workers are not left waiting
    arriveAndWait(barrier, data.workers * t);
    if (error !== undefined) return port.postMessage({ id, error } satisfies TrainingWorkerReply);
    const shards = step.shares.map((_, i) => gradients[i].flat);
    adamStepRange(weights.flat, shards, step.shares, moments, t, data.adam, data.from, data.to);
    port.postMessage({ id, losses } satisfies TrainingWorkerReply);
  });
}

if (!isMainThread && parentPort) serve(parentPort, workerData as TrainingWorkerData);
