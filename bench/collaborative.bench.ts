/**
 * Collaborative models on ml-latest-small: building the InteractionMatrix (plus a synthetic 1M-event build), fit time
 * of popular / item-kNN (each weighting) / user-kNN / sequential, recommend latency, and NDCG@10 on a 20% per-user
 * random holdout (the quick protocol of src/testkit/quick-eval; src/eval holds the full ones).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { evaluateTopK, type Holdout } from '../src/testkit/quick-eval.js';
import { InteractionsBuilder } from '../src/models/interactions-builder.js';
import { modelDefinition } from '../src/models/registry.js';
import { percentile, timeIt, type BenchResult } from './harness.js';

const DATASET = 'ml-latest-small';
const ctx = { logger: silentLogger, clock: fixedClock(Date.UTC(2018, 9, 1)) };

/** Reads ratings.csv and holds out 20% of each user's ratings at random (seeded). */
function holdout(dir: string): { holdout: Holdout; buildSeconds: number } {
  const rows = readFileSync(join(dir, 'ratings.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(','));
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const t0 = process.hrtime.bigint();
  const builder = new InteractionsBuilder({ items: [...new Set(rows.map((r) => r[1]))], capacity: rows.length });
  const test: number[][] = [];
  for (const r of rows) {
    if (random() < 0.2) {
      const u = builder.users.add(r[0]);
      (test[u] ??= []).push(builder.items.add(r[1]));
    } else builder.add(r[0], r[1], Number(r[2]), Number(r[3]) * 1000);
  }
  const train = builder.build();
  const buildSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { holdout: { train, test: Array.from({ length: train.users.size }, (_, u) => Int32Array.from(test[u] ?? [])) }, buildSeconds };
}

function synthetic1M(): number {
  let seed = 11;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const users = Array.from({ length: 50_000 }, (_, u) => `user-${u}`);
  const items = Array.from({ length: 20_000 }, (_, i) => `item-${i}`);
  const t0 = process.hrtime.bigint();
  const builder = new InteractionsBuilder({ items });
  for (let e = 0; e < 1_000_000; e++) builder.add(users[random(users.length)], items[random(items.length)], 1, 1.7e12 + e * 1000);
  builder.build();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function run(): Promise<BenchResult[]> {
  const dir = datasetPath(DATASET);
  const results: BenchResult[] = [
    { name: 'interactions.build-1M-synthetic', dataset: 'synthetic', metric: 'seconds', value: synthetic1M(), unit: 's' },
  ];
  if (!dir) return results;
  const { holdout: h, buildSeconds } = holdout(dir);
  results.push({ name: 'interactions.build', dataset: DATASET, metric: 'seconds', value: buildSeconds, unit: 's', extra: { nnz: h.train.matrix.nnz } });
  const configs: Array<[string, Record<string, unknown>]> = [
    ['popular', {}],
    ['itemknn', { weighting: 'cosine' }],
    ['itemknn', { weighting: 'tfidf' }],
    ['itemknn', { weighting: 'bm25' }],
    ['userknn', {}],
    ['sequential', {}],
  ];
  for (const [name, params] of configs) {
    const def = modelDefinition(name);
    const model = def.create(def.parseParams(params));
    const label = `${name}${params.weighting ? `.${String(params.weighting)}` : ''}`;
    const { seconds } = await timeIt(() => model.fit(h.train, ctx));
    const latencies: number[] = [];
    for (let u = 0; u < h.train.users.size; u++) {
      const t = process.hrtime.bigint();
      model.recommend({ user: u, k: 10, exclude: h.train.matrix.rowIndices(u) });
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    latencies.sort((a, b) => a - b);
    const quality = evaluateTopK(model, h, 10);
    results.push(
      { name: `${label}.fit`, dataset: DATASET, metric: 'seconds', value: seconds, unit: 's' },
      { name: `${label}.recommend`, dataset: DATASET, metric: 'p95', value: percentile(latencies, 95), unit: 'ms', extra: { p50: percentile(latencies, 50) } },
      { name: `${label}.quality`, dataset: DATASET, metric: 'ndcg@10', value: quality.ndcg, unit: '', extra: { hitRate: quality.hitRate, recall: quality.recall } },
    );
  }
  return results;
}
