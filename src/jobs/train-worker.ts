/**
 * Worker-thread entry of a training run (started by train-thread.ts; never imported by the main thread). It opens its
 * own store connection from the config URL, builds the data, fits, encodes and saves the bundle, and posts the report
 * back; the main thread then loads the new version through the serving path. No I/O happens at import time: the run
 * starts only when this file is the entry of a worker.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { KindredConfig } from '../config/config.js';
import { systemClock } from '../core/clock.js';
import { isEngineError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { openEmbeddingProvider } from '../providers/registry.js';
import { openStore } from '../storage/registry.js';
import type { TrainWorkerInput, TrainWorkerMessage } from './train-thread.js';
import { trainBundle, type TrainJobResult } from './trainer.js';

async function runTraining(input: TrainWorkerInput, post: (m: TrainWorkerMessage) => void): Promise<void> {
  const config: KindredConfig = input.config;
  const logger = createLogger(config.log.level);
  const abort = new AbortController();
  parentPort?.on('message', (m: { type?: string }) => { if (m.type === 'cancel') abort.abort(); });
  const store = await openStore(config.store.url, { logger, clock: systemClock });
  let report: TrainJobResult;
  try {
    const embeddings = await openEmbeddingProvider(config.embeddings.provider, { logger });
    const { bundle: _bundle, ...result } = await trainBundle(store, config, {
      model: input.model, params: input.params, signal: abort.signal, onProgress: (done, total) => post({ type: 'progress', done, total }),
    }, { logger, clock: systemClock, embeddings });
    report = result; // the main thread loads the stored version itself
  } finally {
    await store.close();
  }
  post({ type: 'done', report });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const post = (m: TrainWorkerMessage) => port.postMessage(m);
  runTraining(workerData as TrainWorkerInput, post).catch((err: unknown) => {
    post(isEngineError(err)
      ? { type: 'error', code: err.code, message: err.message, details: err.details }
      : { type: 'error', code: 'INTERNAL', message: err instanceof Error ? err.message : String(err), details: {} });
  }).finally(() => port.close());
}
