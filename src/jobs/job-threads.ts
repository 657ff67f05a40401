import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { KindredConfig } from '../config/config.js';
import { EngineError, type ErrorCode, type ErrorDetails } from '../core/errors.js';
import { startModuleWorker } from '../core/module-worker.js';
import type { ModelArtifact } from '../models/model.js';
import type { TuneRequest } from './main-model-choice.js';
import type { TrainJobOptions, TrainJobResult } from './trainer.js';

/** What the main thread hands a job worker (structured-cloned: plain data only). */
export type JobWorkerInput =
  | { job: 'train'; config: KindredConfig; model: string; params: Record<string, unknown>; threads: number; tune?: TuneRequest; jobId?: string }
  | { job: 'load'; storeUrl: string; name: string; version: number };

export type JobWorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'trained'; report: TrainJobResult }
  | { type: 'loaded'; artifact: ModelArtifact | undefined }
  | { type: 'error'; code: ErrorCode; message: string; details: ErrorDetails };

/** The job worker entry beside this module (job-worker.ts under tsx/vitest, job-worker.js under dist/). */
function startWorker(workerData: JobWorkerInput): Worker {
  return startModuleWorker(import.meta.url, 'job-worker', workerData);
}

/** Runs one job in a fresh worker and settles with its final message; `onMessage` sees progress on the way. */
function runJob<T>(input: JobWorkerInput, final: (m: JobWorkerMessage) => T | undefined, opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new EngineError('CANCELLED', 'training cancelled'));
    const worker = startWorker(input);
    let settled = false;
    const cancel = () => worker.postMessage({ type: 'cancel' });
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', cancel);
      fn();
      void worker.terminate();
    };
    opts.signal?.addEventListener('abort', cancel, { once: true });
    worker.on('message', (m: JobWorkerMessage) => {
      if (m.type === 'progress') return opts.onProgress?.(m.done, m.total);
      if (m.type === 'error') return settle(() => reject(new EngineError(m.code, m.message, m.details)));
      const value = final(m);
      if (value !== undefined) settle(() => resolve(value));
    });
    worker.on('error', (err) => settle(() => reject(new EngineError('INTERNAL', `${input.job} worker failed: ${err.message}`))));
    worker.on('exit', (code) => settle(() => reject(new EngineError('INTERNAL', `${input.job} worker exited with code ${code} before reporting`))));
  });
}

/**
 * Runs one training in a worker thread, so fitting, encoding and the artifact write never block the event loop. The
 * fit leaves one core to the serving thread. Resolves with the report once the new version is stored; `signal`
 * cancels it (CANCELLED); errors keep their code.
 *
 * @example const report = await trainInWorker(config, { model: 'ease', params: {} }); await serving.refresh();
 */
export function trainInWorker(config: KindredConfig, opts: TrainJobOptions): Promise<TrainJobResult> {
  const threads = opts.threads ?? Math.max(1, availableParallelism() - 1);
  return runJob({ job: 'train', config, model: opts.model, params: opts.params, threads, tune: opts.tune, jobId: opts.jobId }, (m) => (m.type === 'trained' ? m.report : undefined), opts);
}

/**
 * Reads and decodes a stored artifact in a worker thread; its arrays are transferred (zero copy), so the calling
 * thread only restores the models. Undefined when that version is not stored.
 *
 * @example const artifact = await loadArtifactInWorker('sqlite://./kindred.db', 'bundle', 3);
 */
export function loadArtifactInWorker(storeUrl: string, name: string, version: number): Promise<ModelArtifact | undefined> {
  return runJob({ job: 'load', storeUrl, name, version }, (m) => (m.type === 'loaded' ? { artifact: m.artifact } : undefined))
    .then((r) => r.artifact);
}
