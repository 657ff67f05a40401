/**
 * Worker-thread entry of data-parallel Transformer training (started by parallel-trainer.ts; never imported by the
 * main thread). It views the shared weights and the shared per-shard gradient buffers, and for each step message
 * computes the gradients of the shards it was given (shardGradient, the same code the main thread runs alone).
 * Nothing runs at import time unless this file is the entry of a worker.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { errorMessage } from '../../core/errors.js';
import { shardGradient, type StepJob } from './gradient-shards.js';
import { networkViews, type NetworkShape } from './parameters.js';

/** What the main thread hands each worker at start. */
export interface TrainingWorkerData {
  shape: NetworkShape;
  weights: SharedArrayBuffer;
  /** One float32 gradient buffer per shard index (the worker writes only the shards it is sent). */
  gradients: SharedArrayBuffer[];
}

export interface TrainingWorkerRequest {
  id: number;
  step: StepJob;
}

export type TrainingWorkerReply = { id: number; losses: number[] } | { id: number; error: string };

function serve(port: MessagePort, data: TrainingWorkerData): void {
  const weights = networkViews(new Float32Array(data.weights), data.shape);
  const gradients = data.gradients.map((b) => networkViews(new Float32Array(b), data.shape));
  port.on('message', ({ id, step }: TrainingWorkerRequest) => {
    try {
      const losses = step.shards.map((job) => shardGradient(weights, gradients[job.shard], data.shape, job, step.dropout, step.negatives));
      port.postMessage({ id, losses } satisfies TrainingWorkerReply);
    } catch (err) {
      port.postMessage({ id, error: errorMessage(err) } satisfies TrainingWorkerReply);
    }
  });
}

if (!isMainThread && parentPort) serve(parentPort, workerData as TrainingWorkerData);
