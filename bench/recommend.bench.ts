/**
 * Engine-level benchmark on ml-100k: item-kNN training time (through the engine, from the SQLite store) and
 * in-process recommend latency p50/p99 over every user (history read, fold-in, filtering, explanations).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import { engineOnStore } from '../src/testkit/engine-on-store.js';
import { importDataset } from '../src/ingest/importer.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { peakRssMb, percentile, timeIt, type BenchResult } from './harness.js';

export async function run(): Promise<BenchResult[]> {
  const ml = datasetPath('ml-100k');
  if (!ml) {
    console.warn('skipping recommend bench: ml-100k not found (KINDRED_DATA_DIR)');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kindred-bench-'));
  try {
    const { engine, store } = await engineOnStore(resolveConfig({ store: { url: `sqlite://${join(dir, 'b.db')}` }, log: { level: 'silent' } }), { logger: silentLogger });
    await importDataset(store, { path: ml, format: 'movielens-100k', onError: 'abort' });
    const results: BenchResult[] = [];
    for (const model of ['itemknn', 'ease']) {
      const train = await timeIt(() => engine.train({ model }));
      results.push({ name: `train.${model}`, dataset: 'ml-100k', metric: 'seconds', value: train.seconds, unit: 's', extra: { viaEngine: true } });
      const latencies: number[] = [];
      for (let u = 1; u <= 943; u++) {
        const t0 = performance.now();
        await engine.recommend(String(u), { count: 10 });
        latencies.push(performance.now() - t0);
      }
      latencies.sort((a, b) => a - b);
      results.push({ name: `recommend.${model}`, dataset: 'ml-100k', metric: 'p50', value: percentile(latencies, 50), unit: 'ms' });
      results.push({ name: `recommend.${model}`, dataset: 'ml-100k', metric: 'p99', value: percentile(latencies, 99), unit: 'ms' });
    }
    results.push({ name: 'recommend', dataset: 'ml-100k', metric: 'peakRss', value: peakRssMb(), unit: 'MiB' });
    await engine.close();
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
