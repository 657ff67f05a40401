/**
 * ANN serving of factor models (src/models/inner-product-index.ts): ALS (64 factors, 15 iterations) on the items100k
 * synthetic log (bench/synthetic, seed 2: 100k users, 100k items, 5M events); then, for 500 users with their
 * history excluded, recall@10 and @100 of the HNSW inner-product index against the exact top-k and the cost of one
 * query (exact scan vs index: CPU ms per query, and wall p50/p99, inflated on a shared machine) at several efSearch
 * values, plus the index's build time (CPU seconds) and size.
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
const QUERIES = 500;
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
  // the serving path's vector: the user's training row folded in (what the cf channel asks with); folded once
  const vectors = users.map((u) => model.userVector(model.trainingRow(u)));
  const excludes = users.map((u) => data.matrix.rowIndices(u));
  /** Runs one top-k per user: answers, per-query wall ms (sorted) and mean CPU ms per query. */
  const timed = (topk: (q: number, k: number) => number[], k: number) => {
    const ms: number[] = [];
    const cpu0 = process.cpuUsage();
    const answers = users.map((_, q) => {
      const t = performance.now();
      const top = topk(q, k);
      ms.push(performance.now() - t);
      return top;
    });
    return { answers, ms: ms.sort((a, b) => a - b), cpuMs: (cpuSeconds(cpu0) * 1000) / users.length };
  };
  const exactTopK = (q: number, k: number) => topByFactors(vectors[q], table.factors, table.stride, table.items, { k, exclude: excludes[q] }).map((s) => s.index);
  for (const k of [K, 100]) {
    const exact = timed(exactTopK, k);
    out.push({ name: `factor-ann.exact-top${k}`, dataset, metric: 'cpu-ms-per-query', value: exact.cpuMs, unit: 'ms', extra: { p50Ms: percentile(exact.ms, 50), p99Ms: percentile(exact.ms, 99), queries: QUERIES } });
    for (const ef of [20, 50, 100, 200]) {
      index.setEfSearch(ef);
      const ann = timed((q, kk) => index.topK(vectors[q], kk, excludes[q]).map((s) => s.index), k);
      let hits = 0;
      ann.answers.forEach((a, q) => {
        const truth = new Set(exact.answers[q]);
        for (const i of a) if (truth.has(i)) hits++;
      });
      out.push({
        name: `factor-ann.hnsw-top${k}.ef${ef}`, dataset, metric: `recall@${k}`, value: hits / (k * QUERIES), unit: '',
        extra: { cpuMsPerQuery: ann.cpuMs, p50Ms: percentile(ann.ms, 50), p99Ms: percentile(ann.ms, 99), queries: QUERIES },
      });
    }
  }
  // how concentrated the exact answers are: distinct items over all users' exact top-10s
  const distinct = new Set(users.flatMap((_, q) => exactTopK(q, K)));
  out.push({ name: 'factor-ann.exact-top10.distinct-items', dataset, metric: 'items', value: distinct.size, unit: '', extra: { queries: QUERIES } });
  return out;
}
