/**
 * Transformer (issue 14): the matrix-product kernel that decides TypeScript vs WebAssembly (one thread), then
 * training speed (epochs/s, tokens/s) and one user's inference CPU time (k = 10, p50 and p99) on the leave-last-one-out training
 * data of ml-100k and ml-latest-small (KINDRED_DATA_DIR), and, with TRANSFORMER_BENCH_SYNTHETIC=1, one epoch on a
 * synthetic ML-1M-sized log (6,040 users, 3,706 items, 1M events). TRANSFORMER_BENCH_EPOCHS (default 2) sets the
 * epochs timed; TRANSFORMER_BENCH_THREADS (default "1,2") the worker threads of each fit, in the order run, so one run
 * compares thread counts alternately on the same (possibly shared) machine; TRANSFORMER_BENCH_PARAMS (JSON) changes
 * the model's defaults. Speeds are given per CPU-second of the whole process (every thread) and per wall second.
 * Results: docs/benchmarks.md.
 */
import { fixedClock } from '../src/core/clock.js';
import type { InteractionMatrix } from '../src/core/interactions.js';
import { silentLogger } from '../src/core/logger.js';
import { loadDataset } from '../src/eval/dataset.js';
import { prepareEvaluation } from '../src/eval/setup.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import { sequencesOf } from '../src/models/sequential/transitions.js';
import { gemmAccumulateTs } from '../src/models/transformer/gemm.js';
import { TransformerModel, transformerDefinition, type TransformerParams } from '../src/models/transformer/transformer.js';
import { trainingWindows } from '../src/models/transformer/train.js';
import { WasmGemm } from '../src/models/transformer/wasm-gemm.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { syntheticInteractions } from './ease.bench.js';
import { percentile, timeIt, type BenchResult } from './harness.js';

const ctx = { logger: silentLogger, clock: fixedClock(Date.UTC(2018, 9, 1)), seed: 1 };

function gemmResults(): BenchResult[] {
  const [m, k, n] = [3200, 64, 64];
  const rand = mulberry32(3);
  const a = Float32Array.from({ length: m * k }, () => rand() - 0.5);
  const b = Float32Array.from({ length: k * n }, () => rand() - 0.5);
  const c = new Float32Array(m * n);
  const wasm = new WasmGemm();
  // GFlop per CPU-second of this process: on a shared machine wall time mostly measures waiting
  const rate = (fn: () => void): number => {
    fn();
    const c0 = process.cpuUsage();
    let reps = 0;
    let used = 0;
    while (used < 1.5) {
      fn();
      reps++;
      const c = process.cpuUsage(c0);
      used = (c.user + c.system) / 1e6;
    }
    return (2 * m * k * n * reps) / used / 1e9;
  };
  const ts = rate(() => gemmAccumulateTs(a, b, c, m, k, n));
  const simd = rate(() => wasm.accumulate(a, b, c, m, k, n));
  return [
    { name: 'transformer.gemm-3200x64x64.ts', dataset: 'synthetic', metric: 'GFlop/s', value: ts, unit: 'GFlop/s' },
    { name: 'transformer.gemm-3200x64x64.wasm', dataset: 'synthetic', metric: 'GFlop/s', value: simd, unit: 'GFlop/s', extra: { speedup: simd / ts } },
  ];
}

function benchParams(epochs: number): TransformerParams {
  const extra = JSON.parse(process.env.TRANSFORMER_BENCH_PARAMS ?? '{}') as Record<string, unknown>;
  return transformerDefinition.parseParams({ ...extra, epochs });
}

async function trainOnce(name: string, train: InteractionMatrix, epochs: number, threads: number): Promise<{ model: TransformerModel; result: BenchResult }> {
  const params = benchParams(epochs);
  const model = new TransformerModel(params);
  // process.cpuUsage counts every thread of the process, so worker time is included
  const c0 = process.cpuUsage();
  const { seconds } = await timeIt(() => model.fit(train, { ...ctx, threads }));
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const tokens = trainingWindows(sequencesOf(train), params.maxLength).reduce((s, w) => s + w.length, 0);
  const result: BenchResult = {
    name: `transformer.train.${name}.threads-${threads}`, dataset: name, metric: 'tokens per wall-s', value: (tokens * epochs) / seconds, unit: 'tokens/s',
    extra: {
      threads, epochs, wallSeconds: seconds, cpuSeconds, wallSecondsPerEpoch: seconds / epochs, cpuSecondsPerEpoch: cpuSeconds / epochs,
      tokensPerCpuSecond: (tokens * epochs) / cpuSeconds, batchSize: params.batchSize,
    },
  };
  return { model, result };
}

function inference(name: string, model: TransformerModel, train: InteractionMatrix): BenchResult {
  const users = Math.min(300, train.users.size);
  // CPU time of the calling thread's process per request: on a shared machine wall time mostly measures waiting
  const latencies: number[] = [];
  for (let u = 0; u < users; u++) {
    const c0 = process.cpuUsage();
    model.recommend({ user: u, k: 10, exclude: train.matrix.rowIndices(u) });
    const c = process.cpuUsage(c0);
    latencies.push((c.user + c.system) / 1000);
  }
  latencies.sort((x, y) => x - y);
  return { name: `transformer.recommend.${name}`, dataset: name, metric: 'p50 cpu ms', value: percentile(latencies, 50), unit: 'ms', extra: { p99: percentile(latencies, 99), users } };
}

async function trainAndServe(name: string, train: InteractionMatrix, epochs: number): Promise<BenchResult[]> {
  const threadCounts = (process.env.TRANSFORMER_BENCH_THREADS ?? '1,2').split(',').map(Number);
  const out: BenchResult[] = [];
  let last: TransformerModel | undefined;
  for (const threads of threadCounts) {
    const { model, result } = await trainOnce(name, train, epochs, threads);
    out.push(result);
    last = model;
  }
  if (last) out.push(inference(name, last, train));
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const out = gemmResults();
  const epochs = Number(process.env.TRANSFORMER_BENCH_EPOCHS ?? 2);
  for (const name of ['ml-100k', 'ml-latest-small']) {
    const dir = datasetPath(name);
    if (!dir) continue;
    const setup = prepareEvaluation({ data: await loadDataset(dir), protocol: 'loo', seed: 1 });
    out.push(...(await trainAndServe(name, setup.train, epochs)));
  }
  if (process.env.TRANSFORMER_BENCH_SYNTHETIC === '1') out.push(...(await trainAndServe('synthetic-ml1m', syntheticInteractions(6040, 3706, 1_000_000), 1)));
  return out;
}
