/**
 * Worker-thread entry of the background jobs (started by job-threads.ts; never imported by the main thread):
 * - `train`: opens its own store connection from the config URL, builds the data, fits, encodes and saves the
 *   bundle, and posts the report; the main thread then loads the new version through the serving path.
 * - `load`: reads and decodes a stored artifact and posts it with its arrays transferred, not copied.
 * Nothing runs at import time unless this file is the entry of a worker.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { systemClock } from '../core/clock.js';
import { errorMessage, isEngineError } from '../core/errors.js';
import { createLogger, silentLogger } from '../core/logger.js';
import { decodeArtifact } from '../models/artifact.js';
import { openEmbeddingProvider } from '../providers/registry.js';
import { openStore, type OpenStoreOptions } from '../storage/registry.js';
import type { Store } from '../storage/store.js';
import type { JobWorkerInput, JobWorkerMessage } from './job-threads.js';
import { trainBundle } from './trainer.js';

async function withStore<T>(url: string, opts: Omit<OpenStoreOptions, 'clock'>, run: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(url, { ...opts, clock: systemClock, create: false });
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

async function runJob(input: JobWorkerInput, port: MessagePort): Promise<void> {
  const post = (m: JobWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  if (input.job === 'load') {
    const record = await withStore(input.storeUrl, { logger: silentLogger }, (store) => store.loadArtifact(input.name, input.version));
    const artifact = record && decodeArtifact(record.blob);
    // decodeArtifact copies every array into its own buffer, so each buffer can be handed over whole
    const buffers = artifact ? [...new Set(Object.values(artifact.arrays).map((a) => a.buffer as ArrayBuffer))] : [];
    return post({ type: 'loaded', artifact }, buffers);
  }
  const { config } = input;
  const logger = createLogger(config.log.level);
  const abort = new AbortController();
  port.on('message', (m: { type?: string }) => { if (m.type === 'cancel') abort.abort(); });
  const report = await withStore(config.store.url, { logger, durability: config.store.durability, lockTimeoutMs: config.store.lockTimeoutMs }, async (store) => {
    const embeddings = await openEmbeddingProvider(config.embeddings.provider, { logger });
    const { bundle: _bundle, ...result } = await trainBundle(store, config, {
      model: input.model, params: input.params, tune: input.tune, jobId: input.jobId, threads: input.threads, signal: abort.signal,
      onProgress: (done, total) => post({ type: 'progress', done, total }),
    }, { logger, clock: systemClock, embeddings });
    return result; // the main thread loads the stored version itself
  });
  post({ type: 'trained', report });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  runJob(workerData as JobWorkerInput, port).catch((err: unknown) => {
    port.postMessage(isEngineError(err)
      ? { type: 'error', code: err.code, message: err.message, details: err.details }
      : { type: 'error', code: 'INTERNAL', message: errorMessage(err), details: {} });
  });
}
