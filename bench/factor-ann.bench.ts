/**
 * ANN serving of factor models (src/models/inner-product-index.ts): ALS (64 factors, 15 iterations) on the items100k
 * synthetic log (bench/synthetic, seed 2: 100k users, 100k items, 5M events); then, for 1,000 users with their
 * history excluded, recall@10 of the HNSW inner-product index against exact top-10 and the latency of one top-10
 * (exact scan vs index, p50/p99) at several efSearch values, plus the index's build time (CPU seconds) and size.
 * `KINDRED_DATA_DIR=/work/shared/data npm run bench -- factor-ann` (FACTOR_ANN_SIZE=ml1m for a quick run).
 */
import { fixedClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { alsDefinition, type AlsModel } from '../src/models/als/als.js';
import { InnerProductIndex } from '../src/models/inner-product-index.js';
import { topByFactors } from '../src/models/linalg/factor-similarity.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import { peakRssMb, percentile, type BenchResult } from './harness.js';
import { SYNTHETIC_SIZES, syntheticMatrix, type SyntheticSize } from './synthetic/log.js';

const K = 10;
const QUERIES = 1_000;
const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
};

export async function run(): Promise<BenchResult[]> {
  const size = (process.env.FACTOR_ANN_SIZE ?? 'items100k') as SyntheticSize;
  const spec = SYNTHETIC_SIZES[size];
  const data = syntheticMatrix(spec);
  const dataset = spec.name;
  const out: BenchResult[] = [];
  const model = alsDefinition.create(alsDefinition.parseParams({ factors: 64, iterations: 15 })) as AlsModel;
  let cpu = process.cpuUsage();
  await model.fit(data, { logger: silentLogger, clock: fixedClock(0), seed: 1, threads: 2 });
  out.push({ name: 'factor-ann.als-fit', dataset, metric: 'cpu-seconds', value: cpuSeconds(cpu), unit: 's', extra: { nnz: data.matrix.nnz, items: data.matrix.cols } });

  const table = model.itemFactorTable();
  cpu = process.cpuUsage();
  const t0 = performance.now();
  const index = InnerProductIndex.build(table);
  out.push({
    name: 'factor-ann.build', dataset, metric: 'cpu-seconds', value: cpuSeconds(cpu), unit: 's',
    extra: { wallSeconds: (performance.now() - t0) / 1000, items: table.items, approxMb: Math.round(index.approximateBytes / 2 ** 20), peakRssMb: Math.round(peakRssMb()) },
  });

  const random = mulberry32(9);
  const users: number[] = [];
  while (users.length < QUERIES) {
    const u = Math.floor(random() * data.matrix.rows);
    if (data.matrix.rowIndices(u).length > 0) users.push(u);
  }
  // the serving path's vector: the user's training row folded in (what the cf channel asks with)
  const vectorOf = (u: number): Float32Array => model.userVector(model.trainingRow(u));
  const exact = users.map((u) => {
    const t = performance.now();
    const top = topByFactors(vectorOf(u), table.factors, table.stride, table.items, { k: K, exclude: data.matrix.rowIndices(u) });
    return { ms: performance.now() - t, top: new Set(top.map((s) => s.index)) };
  });
  const exactMs = exact.map((e) => e.ms).sort((a, b) => a - b);
  out.push({ name: 'factor-ann.exact-top10', dataset, metric: 'p50-ms', value: percentile(exactMs, 50), unit: 'ms', extra: { p99Ms: percentile(exactMs, 99), queries: QUERIES } });

  for (const ef of [50, 100, 200]) {
    index.setEfSearch(ef);
    let hits = 0;
    const times: number[] = [];
    users.forEach((u, q) => {
      const t = performance.now();
      const top = index.topK(vectorOf(u), K, data.matrix.rowIndices(u));
      times.push(performance.now() - t);
      for (const s of top) if (exact[q].top.has(s.index)) hits++;
    });
    times.sort((a, b) => a - b);
    out.push({
      name: `factor-ann.hnsw-top10.ef${ef}`, dataset, metric: 'recall@10', value: hits / (K * QUERIES), unit: '',
      extra: { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), queries: QUERIES },
    });
  }
  return out;
}
