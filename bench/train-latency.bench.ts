/**
 * Recommendation latency while a training runs, ml-100k, over HTTP: the old in-thread training (`train.thread: main`)
 * against the worker-thread training (`train.thread: worker`, the default for file stores), alternating in one session.
 * One client asks for users' recommendations back to back during an EASE training; every request that started
 * before the training ended counts. Also: the same latencies with no training (idle), and the main-thread cost of
 * loading and decoding the new bundle (what the serving swap still does on the request thread).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import { createEngine } from '../src/engine.js';
import { importDataset } from '../src/ingest/importer.js';
import { BUNDLE_ARTIFACT, decodeBundle } from '../src/jobs/model-bundle.js';
import { startServer } from '../src/server/app.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, type BenchResult } from './harness.js';

const ROUNDS = 2;
const MODEL = 'ease';

/** Sequential GETs until `until` settles; returns each request's latency in ms. */
async function latenciesDuring(url: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => { done = true; });
  const out: number[] = [];
  for (let u = 1; !done; u = (u % 943) + 1) {
    const t0 = performance.now();
    const res = await fetch(`${url}/v1/users/${u}/recommendations?count=10`);
    await res.arrayBuffer();
    out.push(performance.now() - t0);
  }
  return out;
}

function summary(name: string, ms: number[], extra: Record<string, number | string>): BenchResult[] {
  const sorted = ms.slice().sort((a, b) => a - b);
  const base = { name, dataset: 'ml-100k', unit: 'ms', extra: { ...extra, requests: ms.length } };
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
    createEngine(resolveConfig({ store: { url }, log: { level: 'silent' }, embeddings: { provider: 'none' }, train: { thread, keepVersions: 2 } }), { logger: silentLogger });
  try {
    const setup = await open('main');
    await importDataset(setup.store, { path: ml, format: 'movielens-100k', onError: 'abort' });
    await setup.train({ model: MODEL });
    const t0 = performance.now();
    const stored = await setup.store.loadArtifact(BUNDLE_ARTIFACT);
    const loaded = performance.now();
    if (stored) decodeBundle(stored.blob, stored.version);
    const decoded = performance.now();
    const bundleMb = (stored?.blob.byteLength ?? 0) / 2 ** 20;
    await setup.close();

    const latencies: Record<string, number[]> = { idle: [], main: [], worker: [] };
    const trainSeconds: Record<string, number[]> = { main: [], worker: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const thread of ['main', 'worker'] as const) {
        const engine = await open(thread);
        const server = await startServer(engine, { host: '127.0.0.1', port: 0 });
        // idle: as many requests as a training takes, with nothing else running
        const idleUntil = new Promise((r) => setTimeout(r, 1000));
        latencies.idle.push(...(await latenciesDuring(server.url, idleUntil)));
        const t = performance.now();
        const training = engine.train({ model: MODEL });
        latencies[thread].push(...(await latenciesDuring(server.url, training)));
        await training;
        trainSeconds[thread].push((performance.now() - t) / 1000);
        await server.close();
        await engine.close();
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return [
      ...summary('recommend.idle', latencies.idle, {}),
      ...summary('recommend.during-training.main-thread', latencies.main, { model: MODEL, trainSeconds: mean(trainSeconds.main) }),
      ...summary('recommend.during-training.worker', latencies.worker, { model: MODEL, trainSeconds: mean(trainSeconds.worker) }),
      { name: 'serving.load-bundle', dataset: 'ml-100k', metric: 'read', value: loaded - t0, unit: 'ms', extra: { bundleMb } },
      { name: 'serving.load-bundle', dataset: 'ml-100k', metric: 'decode', value: decoded - loaded, unit: 'ms', extra: { bundleMb } },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
