/**
 * Implicit ALS: the CG row update in plain TypeScript vs the WASM SIMD kernel (one thread), 15 iterations at 64
 * factors on ml-latest-small (KINDRED_DATA_DIR) and on synthetic 1M- and 3.6M-event logs (1 and 2 threads), fold-in
 * latency of one user (p50/p99), NDCG@10 on a 20% holdout, and peak memory. BPR-MF epochs (single thread vs
 * Hogwild) ride along. Results: docs/performance.md.
 */
import { fixedClock } from '../src/core/clock.js';
import type { InteractionMatrix } from '../src/core/interactions.js';
import { silentLogger } from '../src/core/logger.js';
import type { SparseRow } from '../src/core/sparse.js';
import { alsDefinition, type AlsModel } from '../src/models/als/als.js';
import { alsSolveKernel } from '../src/models/als/als-kernels.js';
import { alsSolveRowsReference } from '../src/models/als/cg-reference.js';
import { bprDefinition } from '../src/models/bpr/bpr.js';
import { sharedLayout } from '../src/models/linalg/arena.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import { kernelModule } from '../src/models/linalg/wasm/kernels.js';
import { localKernelEnv } from '../src/models/workers/pool.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { evaluateTopK } from '../src/testkit/quick-eval.js';
import { movieLensSmallHoldout, syntheticInteractions } from './ease.bench.js';
import { peakRssMb, percentile, timeIt, type BenchResult } from './harness.js';

const ctx = { logger: silentLogger, clock: fixedClock(Date.UTC(2018, 9, 1)), seed: 1 };
const FACTORS = 64;

/** Seconds of one user-side CG pass (3 steps, 64 factors) over all users, TypeScript vs WASM, one thread. */
function cgKernels(data: InteractionMatrix, dataset: string): BenchResult[] {
  const m = data.matrix;
  const k = FACTORS;
  const random = mulberry32(5);
  const { memory, blocks } = sharedLayout({
    indptr: ['i32', m.rows + 1], indices: ['i32', m.nnz], conf: ['f32', m.nnz],
    x: ['f32', m.rows * k], y: ['f32', m.cols * k], g: ['f32', k * k], scratch: ['f32', 4 * k],
    chunk: ['i32', 2], next: ['i32', 1], loss: ['f64', 1],
  });
  blocks.indptr.view.set(m.indptr);
  blocks.indices.view.set(m.indices);
  blocks.conf.view.set(m.data);
  blocks.chunk.view.set([0, m.rows]);
  for (const v of [blocks.x.view, blocks.y.view]) for (let e = 0; e < v.length; e++) v[e] = random() * 0.01;
  for (let i = 0; i < m.cols; i++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) blocks.g.view[a * k + b] += blocks.y.view[i * k + a] * blocks.y.view[i * k + b];
  const env = localKernelEnv(memory, kernelModule());
  const side = { indptr: m.indptr, indices: m.indices, conf: m.data };
  const settings = { k, r0: 0, r1: m.rows, cgSteps: 3, withLoss: false, regBase: 0.02 * m.cols, regPerEvent: 0.02 };
  const x = blocks.x.view.slice();
  const variants: Array<[string, () => void]> = [
    ['typescript', () => alsSolveRowsReference(side, x, blocks.y.view, blocks.g.view, settings)],
    ['wasm-simd', () => {
      blocks.next.view[0] = 0; // one chunk holding every row
      alsSolveKernel(env, {
        indptr: blocks.indptr.ptr, indices: blocks.indices.ptr, conf: blocks.conf.ptr, x: blocks.x.ptr, y: blocks.y.ptr, g: blocks.g.ptr,
        k, cgSteps: 3, scratch: blocks.scratch.ptr, withLoss: false, regBase: settings.regBase, regPerEvent: 0.02,
        chunkBounds: blocks.chunk.ptr, chunkCount: 1, nextChunk: blocks.next.ptr, chunkLosses: blocks.loss.ptr,
      });
    }],
  ];
  return variants.map(([name, fn]) => {
    fn();
    const t0 = performance.now();
    let reps = 0;
    while (performance.now() - t0 < 1500) {
      fn();
      reps++;
    }
    const seconds = (performance.now() - t0) / 1000 / reps;
    return { name: `als.cg-user-pass.${name}`, dataset, metric: 'seconds', value: seconds, unit: 's', extra: { threads: 1, nnz: m.nnz, factors: k } };
  });
}

async function fitAls(name: string, dataset: string, data: InteractionMatrix, threads: number): Promise<{ result: BenchResult; model: AlsModel }> {
  const model = alsDefinition.create(alsDefinition.parseParams({ factors: FACTORS, iterations: 15 })) as AlsModel;
  const cpu0 = process.cpuUsage();
  const { seconds } = await timeIt(() => model.fit(data, { ...ctx, threads }));
  const cpu = process.cpuUsage(cpu0);
  return {
    model,
    result: {
      name, dataset, metric: 'fit-seconds', value: seconds, unit: 's',
      extra: { threads, nnz: data.matrix.nnz, iterations: 15, factors: FACTORS, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: Math.round(peakRssMb()) },
    },
  };
}

function foldInLatency(model: AlsModel, data: InteractionMatrix, dataset: string): BenchResult {
  const times: number[] = [];
  for (let u = 0; u < Math.min(300, data.matrix.rows); u++) {
    const row: SparseRow = { indices: data.matrix.rowIndices(u).slice(), values: data.matrix.rowData(u).slice() };
    const t0 = performance.now();
    model.userVector(row);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { name: 'als.fold-in', dataset, metric: 'p50-ms', value: percentile(times, 50), unit: 'ms', extra: { p99Ms: percentile(times, 99), users: times.length } };
}

async function bprEpochs(data: InteractionMatrix, dataset: string): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const hogwild of [false, true]) {
    const model = bprDefinition.create(bprDefinition.parseParams({ iterations: 10, hogwild }));
    const { seconds } = await timeIt(() => model.fit(data, { ...ctx, threads: 2 }));
    out.push({ name: `bpr.epoch.${hogwild ? 'hogwild-t2' : 't1'}`, dataset, metric: 'seconds', value: seconds / 10, unit: 's', extra: { nnz: data.matrix.nnz } });
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const synthetic = syntheticInteractions(20_000, 10_000, 1_000_000, 23);
  results.push(...cgKernels(synthetic, 'synthetic-1M'));
  for (const threads of [1, 2]) results.push((await fitAls(`als.fit-15it.t${threads}`, 'synthetic-1M', synthetic, threads)).result);
  results.push(...(await bprEpochs(synthetic, 'synthetic-1M')));
  const dir = datasetPath('ml-latest-small');
  if (dir) {
    const holdout = movieLensSmallHoldout(dir);
    for (const threads of [1, 2]) {
      const { result, model } = await fitAls(`als.fit-15it.t${threads}`, 'ml-latest-small', holdout.train, threads);
      results.push(result);
      if (threads === 2) {
        results.push(foldInLatency(model, holdout.train, 'ml-latest-small'));
        const quality = evaluateTopK(model, holdout, 10);
        results.push({ name: 'als.ndcg@10', dataset: 'ml-latest-small', metric: 'ndcg@10', value: quality.ndcg, unit: '', extra: { hitRate: quality.hitRate } });
      }
    }
  }
  // last, so that the peak memory of the smaller runs above is their own: 3.6M events, the same shape scaled up
  const large = syntheticInteractions(72_000, 36_000, 3_600_000, 29);
  for (const threads of [2, 1]) results.push((await fitAls(`als.fit-15it.t${threads}`, 'synthetic-3.6M', large, threads)).result);
  return results;
}
