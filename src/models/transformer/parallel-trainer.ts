import type { Worker } from 'node:worker_threads';
import { EngineError } from '../../core/errors.js';
import { startModuleWorker } from '../../core/module-worker.js';
import type { AdamOptions } from './adam.js';
import type { ShardTrainer, StepJob } from './gradient-shards.js';
import { networkViews, type NetworkParams, type NetworkShape } from './parameters.js';
import type { TrainingWorkerData, TrainingWorkerReply, TrainingWorkerRequest } from './training-worker.js';

interface Pending {
  resolve: (losses: number[]) => void;
  reject: (e: Error) => void;
}

/**
 * Data-parallel training steps on worker threads. The weights, Adam's moments and one gradient buffer per shard index
 * live in SharedArrayBuffers. Shard i of a step goes to worker i mod threads, which gets the whole TrainingBatch of its
 * shards by structured clone (every typed-array field is copied, so new batch fields need no change here); once every
 * worker has its gradients (a barrier), each applies Adam to its own contiguous slice of the weights. The main thread
 * only cuts batches and waits. Always `close()` (in a finally).
 *
 * @example const par = WorkerShardTrainer.start(params, shape, adam, 2, 2); try { await par.step(job) } finally { await par.close() }
 */
export class WorkerShardTrainer implements ShardTrainer {
  readonly weights: NetworkParams;
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private t = 0;
  private failure?: Error;

  private constructor(initial: NetworkParams, shape: NetworkShape, adam: AdamOptions, threads: number, shards: number) {
    const n = initial.flat.length;
    const weightBuffer = new SharedArrayBuffer(n * 4);
    const flat = new Float32Array(weightBuffer);
    flat.set(initial.flat);
    this.weights = networkViews(flat, shape);
    const shared = {
      weights: weightBuffer, m: new SharedArrayBuffer(n * 8), v: new SharedArrayBuffer(n * 8),
      gradients: Array.from({ length: shards }, () => new SharedArrayBuffer(n * 4)), barrier: new SharedArrayBuffer(4),
    };
    this.workers = Array.from({ length: threads }, (_, w) => {
      const data: TrainingWorkerData = { ...shared, shape, adam, workers: threads, from: Math.floor((n * w) / threads), to: Math.floor((n * (w + 1)) / threads) };
      const worker = startModuleWorker(import.meta.url, 'training-worker', data);
      worker.on('message', (reply: TrainingWorkerReply) => this.settle(reply));
      worker.on('error', (e: Error) => this.fail(new EngineError('INTERNAL', `transformer training worker ${w} failed: ${e.message}`)));
      worker.on('exit', (code) => this.fail(new EngineError('INTERNAL', `transformer training worker ${w} exited with code ${code}`)));
      return worker;
    });
  }

  /**
   * Starts `threads` workers over a shared copy of `initial` (float32), with gradient buffers for `shards` shards.
   *
   * @example WorkerShardTrainer.start(params, shape, adam, 2, Math.ceil(batchSize / shardWindows(shape.maxLength)))
   */
  static start(initial: NetworkParams, shape: NetworkShape, adam: AdamOptions, threads: number, shards: number): WorkerShardTrainer {
    if (!(initial.flat instanceof Float32Array)) throw new EngineError('INTERNAL', 'parallel transformer training needs float32 weights');
    return new WorkerShardTrainer(initial, shape, adam, Math.max(1, Math.floor(threads)), shards);
  }

  async step(job: StepJob): Promise<number[]> {
    if (this.failure) throw this.failure;
    const t = ++this.t;
    const byShard = new Map<number, number>();
    // every worker takes part in every step (the barrier and its slice of the update), with or without shards
    await Promise.all(this.workers.map(async (_, w) => {
      const mine = job.shards.filter((shard) => shard.shard % this.workers.length === w);
      const losses = await this.send(w, { ...job, shards: mine }, t);
      mine.forEach((shard, i) => byShard.set(shard.shard, losses[i]));
    }));
    return job.shards.map((shard) => byShard.get(shard.shard) as number);
  }

  /** Terminates every worker; pending steps reject. Safe to call twice. */
  async close(): Promise<void> {
    this.failure ??= new EngineError('INTERNAL', 'transformer training workers closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private send(worker: number, step: StepJob, t: number): Promise<number[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<number[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[worker].postMessage({ id, step, t } satisfies TrainingWorkerRequest);
    });
  }

  private settle(reply: TrainingWorkerReply): void {
    const call = this.pending.get(reply.id);
    if (!call) return;
    this.pending.delete(reply.id);
    if ('error' in reply) call.reject(new EngineError('INTERNAL', `transformer training worker failed: ${reply.error}`));
    else call.resolve(reply.losses);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const call of this.pending.values()) call.reject(this.failure);
    this.pending.clear();
  }
}
