import type { Worker } from 'node:worker_threads';
import { EngineError } from '../../core/errors.js';
import { siblingModule, startModuleWorker } from '../workers/module-worker.js';
import type { Vec } from './dense.js';
import type { ShardGradients, StepJob } from './gradient-shards.js';
import { networkViews, type NetworkParams, type NetworkShape } from './parameters.js';
import type { TrainingWorkerData, TrainingWorkerReply, TrainingWorkerRequest } from './training-worker.js';

interface Pending {
  resolve: (losses: number[]) => void;
  reject: (e: Error) => void;
}

/**
 * Data-parallel shard gradients on worker threads: the weights live in a SharedArrayBuffer the workers read (the
 * optimiser updates it in place between steps), and every shard index has its own shared gradient buffer. Shard i of
 * a step goes to worker i mod threads; each worker gets the whole TrainingBatch of its shards by structured clone
 * (every typed-array field is copied), so new batch fields need no change here. Always `close()` (in a finally).
 *
 * @example const par = WorkerShardGradients.start(params, shape, 2, 2); try { await par.compute(step) } finally { await par.close() }
 */
export class WorkerShardGradients implements ShardGradients {
  readonly weights: NetworkParams;
  private readonly buffers: Float32Array[];
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure?: Error;

  private constructor(initial: NetworkParams, shape: NetworkShape, threads: number, shards: number) {
    const n = initial.flat.length;
    const weightBuffer = new SharedArrayBuffer(n * 4);
    const flat = new Float32Array(weightBuffer);
    flat.set(initial.flat);
    this.weights = networkViews(flat, shape);
    const gradientBuffers = Array.from({ length: shards }, () => new SharedArrayBuffer(n * 4));
    this.buffers = gradientBuffers.map((b) => new Float32Array(b));
    const data: TrainingWorkerData = { shape, weights: weightBuffer, gradients: gradientBuffers };
    const entry = siblingModule(import.meta.url, 'training-worker');
    this.workers = Array.from({ length: threads }, (_, w) => {
      const worker = startModuleWorker(entry, data);
      worker.on('message', (reply: TrainingWorkerReply) => this.settle(reply));
      worker.on('error', (e: Error) => this.fail(new EngineError('INTERNAL', `transformer training worker ${w} failed: ${e.message}`)));
      worker.on('exit', (code) => this.fail(new EngineError('INTERNAL', `transformer training worker ${w} exited with code ${code}`)));
      return worker;
    });
  }

  /**
   * Starts `threads` workers over a shared copy of `initial` (float32), with gradient buffers for `shards` shards.
   *
   * @example WorkerShardGradients.start(params, shape, 2, Math.ceil(batchSize / SHARD_WINDOWS))
   */
  static start(initial: NetworkParams, shape: NetworkShape, threads: number, shards: number): WorkerShardGradients {
    if (!(initial.flat instanceof Float32Array)) throw new EngineError('INTERNAL', 'parallel transformer training needs float32 weights');
    return new WorkerShardGradients(initial, shape, Math.max(1, Math.floor(threads)), shards);
  }

  async compute(step: StepJob): Promise<number[]> {
    if (this.failure) throw this.failure;
    const byShard = new Map<number, number>();
    await Promise.all(this.workers.map(async (_, w) => {
      const mine = step.shards.filter((job) => job.shard % this.workers.length === w);
      if (mine.length === 0) return;
      const losses = await this.send(w, { ...step, shards: mine });
      mine.forEach((job, i) => byShard.set(job.shard, losses[i]));
    }));
    return step.shards.map((job) => byShard.get(job.shard) as number);
  }

  gradients(i: number): Vec {
    return this.buffers[i];
  }

  /** Terminates every worker; pending steps reject. Safe to call twice. */
  async close(): Promise<void> {
    this.failure ??= new EngineError('INTERNAL', 'transformer training workers closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private send(worker: number, step: StepJob): Promise<number[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<number[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[worker].postMessage({ id, step } satisfies TrainingWorkerRequest);
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
