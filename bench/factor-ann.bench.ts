/**
 * ANN serving of factor models (src/models/inner-product-index.ts): ALS (64 factors, 15 iterations) on the items100k
 * synthetic log (bench/synthetic, seed 2: 100k users, 100k items, 5M events); then, for 500 queries of three kinds
 * (users with their history excluded, item vectors, random directions), recall@10 and @100 of the HNSW
 * inner-product index against the exact top-k and the cost of one query (exact scan vs index: CPU ms per query, and
 * wall p50/p99, inflated on a shared machine) at several efSearch values, plus the index's build cost and size.
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
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const itemQueries = users.map(() => Math.floor(random() * table.items));
  // Three workloads. Users (the serving path: the training row folded in, history excluded) on this log mostly share
  // the popular items' top-10, which an index finds easily; item vectors (items like this one, by score) and random
  // directions spread the answers over the catalogue and are the hard case.
  const workloads: Array<{ name: string; vectors: Float32Array[]; excludes: Int32Array[] }> = [
    { name: 'users', vectors: users.map((u) => model.userVector(model.trainingRow(u))), excludes: users.map((u) => data.matrix.rowIndices(u)) },
    { name: 'items', vectors: itemQueries.map((i) => table.factors.slice(i * table.stride, (i + 1) * table.stride)), excludes: itemQueries.map((i) => Int32Array.of(i)) },
    { name: 'random', vectors: users.map(() => Float32Array.from({ length: table.stride }, gauss)), excludes: users.map(() => new Int32Array(0)) },
  ];
  for (const w of workloads) {
    /** Runs one top-k per query: answers, per-query wall ms (sorted) and mean CPU ms per query. */
    const timed = (topk: (q: number, k: number) => number[], k: number) => {
      const ms: number[] = [];
      const cpu0 = process.cpuUsage();
      const answers = w.vectors.map((_, q) => {
        const t = performance.now();
        const top = topk(q, k);
        ms.push(performance.now() - t);
        return top;
      });
      return { answers, ms: ms.sort((a, b) => a - b), cpuMs: (cpuSeconds(cpu0) * 1000) / w.vectors.length };
    };
    const exactTopK = (q: number, k: number) => topByFactors(w.vectors[q], table.factors, table.stride, table.items, { k, exclude: w.excludes[q] }).map((s) => s.index);
    for (const k of [K, 100]) {
      const exact = timed(exactTopK, k);
      const distinct = new Set(exact.answers.flat()).size;
      out.push({ name: `factor-ann.${w.name}.exact-top${k}`, dataset, metric: 'cpu-ms-per-query', value: exact.cpuMs, unit: 'ms', extra: { p50Ms: percentile(exact.ms, 50), p99Ms: percentile(exact.ms, 99), queries: QUERIES, distinctItems: distinct } });
      for (const ef of [20, 50, 100, 200]) {
        index.setEfSearch(ef);
        const ann = timed((q, kk) => index.topK(w.vectors[q], kk, w.excludes[q]).map((s) => s.index), k);
        let hits = 0;
        ann.answers.forEach((a, q) => {
          const truth = new Set(exact.answers[q]);
          for (const i of a) if (truth.has(i)) hits++;
        });
        out.push({
          name: `factor-ann.${w.name}.hnsw-top${k}.ef${ef}`, dataset, metric: `recall@${k}`, value: hits / (k * QUERIES), unit: '',
          extra: { cpuMsPerQuery: ann.cpuMs, p50Ms: percentile(ann.ms, 50), p99Ms: percentile(ann.ms, 99), queries: QUERIES },
        });
      }
    }
  }
  return out;
}
