/**
 * Memory of building the training matrix (jobs/trainer.ts buildTrainingData: a scan of the stored events into
 * InteractionsBuilder, then the CSR build) over a store the caller prepared, e.g. the items100k synthetic log
 * imported into SQLite (see bench/http-large.bench.ts for the commands). Reports seconds, CPU seconds and the peak
 * RSS above the process's baseline, per million events. Run it alone: peak RSS is per process.
 * `KINDRED_BENCH_DB=sqlite:///tmp/items100k.db npm run bench -- training-matrix`
 */
import { resolveConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import { buildTrainingData } from '../src/jobs/trainer.js';
import { openStore } from '../src/storage/registry.js';
import type { BenchResult } from './harness.js';

const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;

export async function run(): Promise<BenchResult[]> {
  const url = process.env.KINDRED_BENCH_DB;
  if (!url) {
    console.warn('skipping training-matrix bench: set KINDRED_BENCH_DB to a store with events');
    return [];
  }
  const store = await openStore(url, { logger: silentLogger, create: false });
  try {
    const { events, items } = await store.counts();
    const baseline = Math.max(maxRssMb(), process.memoryUsage().rss / 2 ** 20);
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const data = await buildTrainingData(store, resolveConfig({ store: { url } }), events);
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    const peakAbove = maxRssMb() - baseline;
    const heldMb = (data.matrix.nnz * (4 + 4 + 8 + 4) + data.matrix.rows * 4) / 2 ** 20; // indices, values, times, sequences, indptr
    return [{
      name: 'training-matrix.build', dataset: url.replace(/^.*\//, ''), metric: 'peak-rss-above-baseline', value: Math.round(peakAbove), unit: 'MiB',
      extra: {
        events, items, users: data.matrix.rows, nnz: data.matrix.nnz, seconds: Number(seconds.toFixed(1)), cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(1)),
        baselineMb: Math.round(baseline), mbPerMillionEvents: Number((peakAbove / (events / 1e6)).toFixed(1)), matrixMb: Math.round(heldMb),
      },
    }];
  } finally {
    await store.close();
  }
}
