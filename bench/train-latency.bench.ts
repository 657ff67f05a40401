/**
 * Recommendation latency while a training runs, ml-100k, over HTTP: the old in-thread training (`train.thread: main`)
 * against the worker-thread training (`train.thread: worker`, the default for file stores), alternating in one
 * session. A client thread asks for a user's recommendations every 50 ms (open loop: a failed request counts as
 * infinitely slow) from the start of an item-kNN or EASE run until its new version is served. Also: the same latency
 * with no training (idle), the cost of one poll for a new version, the calling-thread cost of reading and decoding the ml-100k EASE bundle, and a 384 MiB
 * artifact (one EASE bundle on ml-latest-small) read in-thread against through a worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import { engineOnStore } from '../src/testkit/engine-on-store.js';
import { importDataset } from '../src/ingest/importer.js';
import { loadArtifactInWorker } from '../src/jobs/job-threads.js';
import { BUNDLE_ARTIFACT, decodeBundle } from '../src/models/model-bundle.js';
import { decodeArtifact, encodeArtifact } from '../src/models/artifact.js';
import { startServer } from '../src/server/app.js';
import { openStore } from '../src/storage/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, type BenchResult } from './harness.js';

const ROUNDS = 2;
/** item-kNN is the default model; EASE the one whose bundle is largest. */
const MODELS = ['itemknn', 'ease'];

/**
 * An open-loop load generator in its own thread (so a stalled server thread cannot stall it too): one request every
 * `intervalMs` whatever the answers do, each latency counted from when it was due. Every request due during a stall
 * waits it out, which is what users of a busy server see.
 */
const LOAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const latencies = [];
const inflight = new Set();
let stopped = false;
let n = 0;
const start = performance.now();
function tick() {
  if (stopped) return;
  const due = start + n * workerData.intervalMs;
  const user = (n % 943) + 1;
  n++;
  const p = fetch(workerData.url + '/v1/users/' + user + '/recommendations?count=10')
    .then((r) => r.arrayBuffer())
    .then(() => { latencies.push(performance.now() - due); }, () => { latencies.push(Infinity); });
  inflight.add(p);
  p.finally(() => inflight.delete(p));
  setTimeout(tick, Math.max(0, start + n * workerData.intervalMs - performance.now()));
}
parentPort.on('message', () => {
  stopped = true;
  Promise.allSettled([...inflight]).then(() => parentPort.postMessage(latencies));
});
tick();`;

async function latenciesDuring(url: string, until: Promise<unknown>, intervalMs = 50): Promise<number[]> {
  const load = new Worker(LOAD_SOURCE, { eval: true, workerData: { url, intervalMs } });
  try {
    await until;
  } finally {
    load.postMessage('stop');
  }
  const latencies = await new Promise<number[]>((resolve) => load.once('message', resolve));
  await load.terminate();
  return latencies;
}

/**
 * A 384 MiB artifact (the size of one EASE bundle on ml-latest-small): the read-and-decode on the calling thread,
 * against the same through a worker (wall time, and the longest event-loop stall while it runs).
 */
async function bigLoad(url: string): Promise<BenchResult[]> {
  const store = await openStore(url, { logger: silentLogger });
  try {
    const weights = new Float32Array(96 * 1024 * 1024).map((_, i) => (i % 997) / 997);
    const version = await store.saveArtifact('big', encodeArtifact({ name: 'big', params: {}, meta: {}, arrays: { weights } }));
    const t0 = performance.now();
    const record = await store.loadArtifact('big', version);
    if (record) decodeArtifact(record.blob);
    const inThread = performance.now() - t0;
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const t1 = performance.now();
    await loadArtifactInWorker(url, 'big', version);
    const inWorker = performance.now() - t1;
    delay.disable();
    const base = { name: 'serving.load-384MiB', dataset: 'synthetic', unit: 'ms' };
    return [
      { ...base, metric: 'in-thread stall', value: inThread },
      { ...base, metric: 'worker wall', value: inWorker },
      { ...base, metric: 'worker max stall', value: delay.max / 1e6 },
    ];
  } finally {
    await store.close();
  }
}

function summary(name: string, ms: number[], extra: Record<string, number | string>): BenchResult[] {
  const sorted = ms.slice().sort((a, b) => a - b);
  const failed = ms.filter((x) => x === Infinity).length;
  const base = { name, dataset: 'ml-100k', unit: 'ms', extra: { ...extra, requests: ms.length, failed } };
  return [
    { ...base, metric: 'p50', value: percentile(sorted, 50) },
    { ...base, metric: 'p99', value: percentile(sorted, 99) },
    { ...base, metric: 'max', value: sorted[sorted.length - 1] ?? NaN },
  ];
}

export async function run(): Promise<BenchResult[]> {
  const ml = datasetPath('ml-100k');
  if (!ml) {
    console.warn('skipping train-latency bench: ml-100k not found (KINDRED_DATA_DIR)');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kindred-bench-'));
  const url = `sqlite://${join(dir, 'b.db')}`;
  const open = (thread: 'main' | 'worker') =>
    engineOnStore(resolveConfig({ store: { url }, log: { level: 'silent' }, embeddings: { provider: 'none' }, train: { thread, keepVersions: 2 } }), { logger: silentLogger });
  try {
    const { engine: setup, store } = await open('main');
    await importDataset(store, { path: ml, format: 'movielens-100k', onError: 'abort' });
    await setup.train({ model: 'ease' });
    const t0 = performance.now();
    const stored = await store.loadArtifact(BUNDLE_ARTIFACT);
    const loaded = performance.now();
    if (stored) decodeBundle(stored.blob, stored.version);
    const decoded = performance.now();
    const bundleMb = (stored?.blob.byteLength ?? 0) / 2 ** 20;
    // What a server's poll does every models.pollSeconds: the pin, then the newest version (no blob read).
    const p0 = performance.now();
    for (let i = 0; i < 1000; i++) {
      await store.listArtifacts('bundle.serving', { limit: 1 });
      await store.listArtifacts(BUNDLE_ARTIFACT, { limit: 1 });
    }
    const pollMs = (performance.now() - p0) / 1000;
    await setup.close();

    const latencies = new Map<string, number[]>();
    const trainSeconds = new Map<string, number[]>();
    const add = <T>(m: Map<string, T[]>, key: string, values: T[]) => m.set(key, [...(m.get(key) ?? []), ...values]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const model of MODELS) {
        for (const thread of ['main', 'worker'] as const) {
          const { engine } = await open(thread);
          const server = await startServer(engine, { host: '127.0.0.1', port: 0 });
          add(latencies, 'idle', await latenciesDuring(server.url, new Promise((r) => setTimeout(r, 2000))));
          const t = performance.now();
          const training = engine.train({ model });
          add(latencies, `${model}.${thread}`, await latenciesDuring(server.url, training));
          add(trainSeconds, `${model}.${thread}`, [(performance.now() - t) / 1000]);
          await server.close();
          await engine.close();
        }
      }
    }
    const mean = (xs: number[] = []) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return [
      ...summary('recommend.idle', latencies.get('idle') ?? [], {}),
      ...MODELS.flatMap((model) => (['main', 'worker'] as const).flatMap((thread) =>
        summary(`recommend.during-training.${model}.${thread === 'main' ? 'main-thread' : 'worker'}`, latencies.get(`${model}.${thread}`) ?? [], {
          model, trainSeconds: mean(trainSeconds.get(`${model}.${thread}`)),
        }))),
      { name: 'serving.poll', dataset: 'ml-100k', metric: 'one poll', value: pollMs * 1000, unit: 'µs' },
      { name: 'serving.load-bundle', dataset: 'ml-100k', metric: 'read', value: loaded - t0, unit: 'ms', extra: { bundleMb } },
      { name: 'serving.load-bundle', dataset: 'ml-100k', metric: 'decode', value: decoded - loaded, unit: 'ms', extra: { bundleMb } },
      ...(await bigLoad(url)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
