/**
 * Transformer (issue 14): the matrix-product and causal-attention kernels, TypeScript vs WebAssembly (one thread), then
 * training speed (epochs/s, tokens/s) and one user's inference CPU time (k = 10, p50 and p99) on the leave-last-one-out training
 * data of ml-100k and ml-latest-small (KINDRED_DATA_DIR), and, with TRANSFORMER_BENCH_SYNTHETIC=1, one epoch on a
 * synthetic ML-1M-sized log (6,040 users, 3,706 items, 1M events). TRANSFORMER_BENCH_EPOCHS (default 2) sets the
 * epochs timed; TRANSFORMER_BENCH_THREADS (default "1,2") the worker threads of each fit, in the order run, so one run
 * compares thread counts alternately on the same (possibly shared) machine; TRANSFORMER_BENCH_PARAMS (JSON) changes
 * the model's defaults. Speeds are given per CPU-second of the whole process (every thread) and per wall second.
 * On Linux each fit also reports its critical path in CPU-seconds (the main thread's CPU time plus one worker's share,
 * from /proc/self/task): the wall time it would take on otherwise idle cores, which a shared machine's wall
 * clock cannot show. Results: docs/benchmarks.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fixedClock } from '../src/core/clock.js';
import type { InteractionMatrix } from '../src/core/interactions.js';
import { silentLogger } from '../src/core/logger.js';
import { loadDataset } from '../src/eval/dataset.js';
import { prepareEvaluation } from '../src/eval/setup.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import { sequencesOf } from '../src/models/sequential/transitions.js';
import {
  causalAttentionBackward, causalAttentionBackwardTs, causalAttentionForward, causalAttentionForwardTs, probabilityOffsets,
} from '../src/models/transformer/attention.js';
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

/** CPU-seconds of each thread of this process by thread id (Linux /proc; empty elsewhere). */
function threadCpuSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync('/proc/self/task')) return out;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      // fields after the parenthesised name: state is field 3, utime and stime fields 14 and 15 (clock ticks of 1/100 s)
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/**
 * The fit's critical path on idle cores, in CPU-s: the main thread's CPU time plus one worker's share. The workers
 * have ended by the second snapshot, so their CPU time is the process's less every surviving thread's, split evenly
 * (each worker gets the same number of equal shards).
 */
function criticalPath(before: Map<string, number>, after: Map<string, number>, processCpu: number, workers: number): number | undefined {
  if (after.size === 0) return undefined;
  let surviving = 0;
  for (const [tid, cpu] of after) surviving += cpu - (before.get(tid) ?? 0);
  const main = String(process.pid);
  const mainCpu = (after.get(main) ?? 0) - (before.get(main) ?? 0);
  return mainCpu + (workers > 1 ? Math.max(0, processCpu - surviving) / workers : 0);
}

function benchParams(epochs: number): TransformerParams {
  const extra = JSON.parse(process.env.TRANSFORMER_BENCH_PARAMS ?? '{}') as Record<string, unknown>;
  return transformerDefinition.parseParams({ ...extra, epochs });
}

/** Causal attention forward + backward for 16 windows of 50 tokens (width 64, 2 heads): CPU ms per call, TS and WASM. */
function attentionResults(): BenchResult[] {
  const [width, heads, windows, length] = [64, 2, 16, 50];
  const seg = { start: Int32Array.from({ length: windows }, (_, s) => s * length), length: new Int32Array(windows).fill(length) };
  const rand = mulberry32(4);
  const random = (): Float32Array => Float32Array.from({ length: windows * length * width }, () => rand() - 0.5);
  const [q, k, v, dOut, dq, dk, dv] = [0, 1, 2, 3, 4, 5, 6].map(random);
  const { offsets, total } = probabilityOffsets(seg, heads);
  const out = new Float32Array(q.length);
  const probs = new Float32Array(total);
  const cpuMs = (fn: () => void): number => {
    fn();
    const c0 = process.cpuUsage();
    let reps = 0;
    let used = 0;
    while (used < 1) {
      fn();
      reps++;
      const c = process.cpuUsage(c0);
      used = (c.user + c.system) / 1e6;
    }
    return (used / reps) * 1000;
  };
  const ts = cpuMs(() => {
    causalAttentionForwardTs(q, k, v, out, probs, offsets, seg, width, heads);
    causalAttentionBackwardTs(q, k, v, probs, offsets, seg, dOut, dq, dk, dv, width, heads);
  });
  const simd = cpuMs(() => {
    causalAttentionForward(q, k, v, out, probs, offsets, seg, width, heads);
    causalAttentionBackward(q, k, v, probs, offsets, seg, dOut, dq, dk, dv, width, heads);
  });
  return [
    { name: 'transformer.attention-16x50.ts', dataset: 'synthetic', metric: 'fwd+bwd cpu ms', value: ts, unit: 'ms' },
    { name: 'transformer.attention-16x50.wasm', dataset: 'synthetic', metric: 'fwd+bwd cpu ms', value: simd, unit: 'ms', extra: { speedup: ts / simd } },
  ];
}

async function trainOnce(name: string, train: InteractionMatrix, epochs: number, threads: number): Promise<{ model: TransformerModel; result: BenchResult }> {
  const params = benchParams(epochs);
  const model = new TransformerModel(params);
  // process.cpuUsage counts every thread of the process, so worker time is included
  const c0 = process.cpuUsage();
  const t0 = threadCpuSeconds();
  const { seconds } = await timeIt(() => model.fit(train, { ...ctx, threads }));
  const t1 = threadCpuSeconds();
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const critical = criticalPath(t0, t1, cpuSeconds, threads);
  const tokens = trainingWindows(sequencesOf(train), params.maxLength).reduce((s, w) => s + w.length, 0);
  const result: BenchResult = {
    name: `transformer.train.${name}.threads-${threads}`, dataset: name, metric: 'tokens per wall-s', value: (tokens * epochs) / seconds, unit: 'tokens/s',
    extra: {
      threads, epochs, wallSeconds: seconds, cpuSeconds, wallSecondsPerEpoch: seconds / epochs, cpuSecondsPerEpoch: cpuSeconds / epochs,
      tokensPerCpuSecond: (tokens * epochs) / cpuSeconds, batchSize: params.batchSize,
      ...(critical === undefined ? {} : { criticalPathCpuSeconds: critical, tokensPerCriticalSecond: (tokens * epochs) / critical }),
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
  const out = [...gemmResults(), ...attentionResults()];
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
