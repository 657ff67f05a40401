import type { Worker } from 'node:worker_threads';
import { EngineError } from '../core/errors.js';
import { startModuleWorker } from '../core/module-worker.js';
import type { Model, ModelArtifact, TypedArray } from '../models/model.js';
import { modelDefinitions } from '../models/registry.js';
import type { BlockRankTask } from './block-ranking.js';

/** What a block worker starts with (structured-cloned; the arrays are SharedArrayBuffer views, so shared). */
export interface BlockWorkerInput {
  artifact: ModelArtifact;
  task: BlockRankTask;
  /** Most positions one block holds (sizes the worker's scratch). */
  rows: number;
}
/** Rank task positions [start, end). */
export interface BlockWorkerRequest { start: number; end: number }
export type BlockWorkerMessage = { type: 'ready' } | { type: 'done'; start: number; end: number } | { type: 'error'; message: string };

export interface WorkerRankOptions {
  threads: number;
  rows: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * True when a worker can rebuild this model: it restores it from its artifact through the model registry, so only
 * registered algorithms qualify (a test's own model types rank on the calling thread).
 */
export function restorableInWorkers(model: Model<object>): boolean {
  return modelDefinitions().some((d) => d.name === model.name);
}

/**
 * Ranks every position of `task` on `threads` worker threads, each restoring the model from one shared copy of its
 * artifact and taking the next block of `rows` positions when it finishes one (so a slow block never idles the
 * others). Resolves when every list is written into the shared task; `signal` cancels (CANCELLED).
 *
 * @example await rankInWorkers(model, blockRankTask(users, 20, mask, true), { threads: 2, rows: 80 })
 */
export async function rankInWorkers(model: Model<object>, task: BlockRankTask, opts: WorkerRankOptions): Promise<void> {
  const input: BlockWorkerInput = { artifact: sharedArtifact(model.save()), task, rows: opts.rows };
  const total = task.users.length;
  const blocks = Math.ceil(total / opts.rows);
  const workers: Worker[] = [];
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let failed = false;
      const fail = (err: EngineError): void => {
        failed = true;
        reject(err);
      };
      if (opts.signal?.aborted) return fail(new EngineError('CANCELLED', 'evaluation cancelled'));
      onAbort = () => fail(new EngineError('CANCELLED', 'evaluation cancelled'));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const dispatch = (worker: Worker): void => {
        if (failed || next >= blocks) return;
        const start = next++ * opts.rows;
        worker.postMessage({ start, end: Math.min(total, start + opts.rows) } satisfies BlockWorkerRequest);
      };
      for (let w = 0; w < Math.min(opts.threads, blocks); w++) {
        const worker = startModuleWorker(import.meta.url, 'block-worker', input);
        workers.push(worker);
        worker.on('message', (m: BlockWorkerMessage) => {
          if (m.type === 'error') return fail(new EngineError('INTERNAL', `block-scoring worker failed: ${m.message}`));
          if (m.type === 'done') {
            done += m.end - m.start;
            opts.onProgress?.(done, total);
            if (done === total) return resolve();
          }
          dispatch(worker);
        });
        worker.on('error', (err) => fail(new EngineError('INTERNAL', `block-scoring worker failed: ${err.message}`)));
        worker.on('exit', (code) => {
          if (done < total) fail(new EngineError('INTERNAL', `block-scoring worker exited with code ${code}`));
        });
      }
    });
  } finally {
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The artifact with every array copied once into a SharedArrayBuffer, so each worker's postMessage shares it. */
function sharedArtifact(artifact: ModelArtifact): ModelArtifact {
  const arrays: Record<string, TypedArray> = {};
  for (const [name, array] of Object.entries(artifact.arrays)) arrays[name] = sharedCopy(array);
  return { ...artifact, arrays };
}

function sharedCopy(array: TypedArray): TypedArray {
  const buffer = new SharedArrayBuffer(array.byteLength);
  const copy =
    array instanceof Float32Array ? new Float32Array(buffer)
    : array instanceof Float64Array ? new Float64Array(buffer)
    : array instanceof Int32Array ? new Int32Array(buffer)
    : array instanceof Uint32Array ? new Uint32Array(buffer)
    : new Uint8Array(buffer);
  copy.set(array);
  return copy;
}
