/**
 * Full recommend latency in process, with the default recall channels and with every channel on: ml-latest-small (+ TMDB overviews as item text when
 * present, builtin encoder), the default main model, k = 10, random users (seeded), list cache off so every request
 * runs the whole pipeline. Reports p50/p99 of the request and, from each response's trace, every stage's mean and
 * p99 time, and the process CPU time per request (p50/p99: what the code costs on a machine shared with other jobs).
 * `npm run bench -- pipeline-latency`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type KindredConfig } from '../src/config/config.js';
import { DEFAULT_RECALL_CHANNELS, RECALL_CHANNEL_BUDGETS } from '../src/config/pipeline-section.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import { silentLogger } from '../src/core/logger.js';
import { engineOnStore } from '../src/testkit/engine-on-store.js';
import { importDataset } from '../src/ingest/importer.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, timeIt, type BenchResult } from './harness.js';

const REQUESTS = 2000;
const WARMUP = 50;

export async function run(): Promise<BenchResult[]> {
  const ml = datasetPath('ml-latest-small');
  if (!ml) {
    console.warn('skipping pipeline-latency bench: ml-latest-small not found (KINDRED_DATA_DIR)');
    return [];
  }
  return [...(await measure(ml, 'all', RECALL_CHANNEL_BUDGETS)), ...(await measure(ml, 'default', DEFAULT_RECALL_CHANNELS))];
}

async function measure(ml: string, variant: string, recall: KindredConfig['pipeline']['recall']): Promise<BenchResult[]> {
  const tmdb = datasetPath('movie-overviews');
  const dir = mkdtempSync(join(tmpdir(), 'kindred-bench-'));
  const dataset = tmdb ? 'ml-latest-small+tmdb' : 'ml-latest-small';
  try {
    const config = resolveConfig({
      store: { url: `sqlite://${join(dir, 'b.db')}` }, log: { level: 'silent' }, embeddings: { provider: 'builtin' },
      pipeline: { recall, cacheLists: false },
    });
    const { engine, store } = await engineOnStore(config, { logger: silentLogger });
    await importDataset(store, {
      path: ml, format: 'movielens-latest', onError: 'skip', ...(tmdb ? { itemText: { path: join(tmdb, 'tmdb_5000_movies.csv') } } : {}),
    });
    const train = await timeIt(() => engine.train({}));
    const seen = new Set<string>();
    for await (const batch of store.scanEvents({ batchSize: 10_000 })) for (const e of batch) seen.add(e.userId);
    const users = [...seen].sort();
    const random = mulberry32(42); // seeded: every run asks for the same users
    const latencies: number[] = [];
    // CPU time of the process per request: what the code costs, without the time the scheduler gave to other jobs.
    const cpuMs: number[] = [];
    const stages = new Map<string, number[]>();
    for (let r = 0; r < WARMUP + REQUESTS; r++) {
      const user = users[Math.floor(random() * users.length)];
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await engine.recommend(user, { count: 10 });
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (r < WARMUP) continue;
      latencies.push(ms);
      cpuMs.push((cpu.user + cpu.system) / 1000);
      for (const t of res.trace) stages.set(t.stage, [...(stages.get(t.stage) ?? []), t.ms]);
    }
    await engine.close();
    latencies.sort((a, b) => a - b);
    cpuMs.sort((a, b) => a - b);
    const results: BenchResult[] = [
      { name: `pipeline.${variant}.train`, dataset, metric: 'seconds', value: train.seconds, unit: 's', extra: { model: config.train.model } },
      { name: `pipeline.${variant}.recommend`, dataset, metric: 'p50', value: percentile(latencies, 50), unit: 'ms', extra: { requests: REQUESTS, users: users.length } },
      { name: `pipeline.${variant}.recommend`, dataset, metric: 'p99', value: percentile(latencies, 99), unit: 'ms' },
      { name: `pipeline.${variant}.recommend`, dataset, metric: 'cpu-p50', value: percentile(cpuMs, 50), unit: 'ms' },
      { name: `pipeline.${variant}.recommend`, dataset, metric: 'cpu-p99', value: percentile(cpuMs, 99), unit: 'ms' },
    ];
    for (const [stage, times] of stages) {
      times.sort((a, b) => a - b);
      const mean = times.reduce((s, t) => s + t, 0) / times.length;
      results.push({ name: `pipeline.${variant}.stage.${stage}`, dataset, metric: 'mean', value: mean, unit: 'ms', extra: { runs: times.length } });
      results.push({ name: `pipeline.${variant}.stage.${stage}`, dataset, metric: 'p99', value: percentile(times, 99), unit: 'ms' });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
