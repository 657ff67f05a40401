import { Worker } from 'node:worker_threads';
import type { KindredConfig } from '../config/config.js';
import { EngineError, type ErrorCode, type ErrorDetails } from '../core/errors.js';
import type { TrainJobOptions, TrainJobResult } from './trainer.js';

/** What the main thread hands the training worker (structured-cloned: plain data only). */
export interface TrainWorkerInput {
  config: KindredConfig;
  model: string;
  params: Record<string, unknown>;
}

export type TrainWorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; report: TrainJobResult }
  | { type: 'error'; code: ErrorCode; message: string; details: ErrorDetails };

/**
 * Whether a store URL names data another thread can open: a file database can, while `memory://` lives in this
 * thread's heap and `sqlite://:memory:` is a private file of this process, so those train in-thread.
 *
 * @example sharedAcrossThreads('sqlite://./kindred.db') // true
 */
export function sharedAcrossThreads(storeUrl: string): boolean {
  return storeUrl.startsWith('sqlite://') && !storeUrl.startsWith('sqlite://:memory:');
}

/**
 * Starts the worker entry beside this module: the compiled `train-worker.js` under dist/. When this module itself runs
 * from TypeScript source (vitest, tsx) the entry is `train-worker.ts`, so a small bootstrap first registers tsx's
 * loader (a dev dependency, never needed from dist/) inside the worker; `--import tsx` in execArgv is not honoured
 * for workers, and tsx's CommonJS API cannot register from one.
 */
function startWorker(workerData: TrainWorkerInput): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./train-worker.js', import.meta.url), { workerData });
  const entry = new URL('./train-worker.ts', import.meta.url).href;
  const bootstrap = `
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const api = createRequire(${JSON.stringify(import.meta.url)}).resolve('tsx/esm/api').replace(/\\.cjs$/, '.mjs');
import(pathToFileURL(api).href).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })
  .catch((err) => { console.error(err); process.exit(1); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * Runs one training in a worker thread, so fitting, encoding and the artifact write never block the event loop.
 * Resolves with the report once the new version is stored; `signal` cancels it (CANCELLED), errors keep their code.
 *
 * @example const report = await trainInWorker(config, { model: 'ease', params: {} }); await serving.refresh();
 */
export function trainInWorker(config: KindredConfig, opts: TrainJobOptions): Promise<TrainJobResult> {
  const input: TrainWorkerInput = { config, model: opts.model, params: opts.params };
  return new Promise<TrainJobResult>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new EngineError('CANCELLED', 'training cancelled'));
    const worker = startWorker(input);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', cancel);
      fn();
    };
    const cancel = () => worker.postMessage({ type: 'cancel' });
    opts.signal?.addEventListener('abort', cancel, { once: true });
    worker.on('message', (m: TrainWorkerMessage) => {
      if (m.type === 'progress') opts.onProgress?.(m.done, m.total);
      else if (m.type === 'done') settle(() => { resolve(m.report); void worker.terminate(); });
      else settle(() => { reject(new EngineError(m.code, m.message, m.details)); void worker.terminate(); });
    });
    worker.on('error', (err) => settle(() => reject(new EngineError('INTERNAL', `training worker failed: ${err.message}`))));
    worker.on('exit', (code) => settle(() => reject(new EngineError('INTERNAL', `training worker exited with code ${code} before reporting`))));
  });
}
