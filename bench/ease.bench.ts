/**
 * EASE: the dense kernel that decides TypeScript vs WebAssembly (GEMM micro-kernel GFlop/s, one thread), then EASE
 * fits on a synthetic 3,706-item catalogue (MovieLens-1M's size: numpy/OpenBLAS takes ~1.8 s on 2 cores) and on
 * ml-latest-small (KINDRED_DATA_DIR), with NDCG@10 on a 20% holdout and peak memory. Results: docs/performance.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../src/core/clock.js';
import type { InteractionMatrix } from '../src/core/interactions.js';
import { silentLogger } from '../src/core/logger.js';
import { easeDefinition } from '../src/models/ease/ease.js';
import { InteractionsBuilder } from '../src/models/interactions-builder.js';
import { sharedLayout } from '../src/models/linalg/arena.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import { kernelModule, type KernelExports } from '../src/models/linalg/wasm/kernels.js';
import { localKernelEnv } from '../src/models/workers/pool.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { evaluateTopK, type Holdout } from '../src/testkit/quick-eval.js';
import { peakRssMb, timeIt, type BenchResult } from './harness.js';

const ctx = { logger: silentLogger, clock: fixedClock(Date.UTC(2018, 9, 1)), seed: 1 };

/**
 * MovieLens ratings.csv (userId,movieId,rating,timestamp) with a seeded 20% of each user's ratings held out;
 * weights are the star ratings.
 */
export function movieLensSmallHoldout(dir: string, fraction = 0.2): Holdout {
  const rows = readFileSync(join(dir, 'ratings.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(','));
  const random = mulberry32(7);
  const builder = new InteractionsBuilder({ items: [...new Set(rows.map((r) => r[1]))], capacity: rows.length });
  const test: number[][] = [];
  for (const r of rows) {
    if (random() < fraction) {
      const u = builder.users.add(r[0]);
      (test[u] ??= []).push(builder.items.add(r[1]));
    } else builder.add(r[0], r[1], Number(r[2]), Number(r[3]) * 1000);
  }
  const train = builder.build();
  return { train, test: Array.from({ length: train.users.size }, (_, u) => Int32Array.from(test[u] ?? [])) };
}

/**
 * A MovieLens-like synthetic log: `events` interactions of `users` users over `items` items, item popularity
 * Zipf-like (exponent ~0.9), user activity heavy-tailed; duplicates merge.
 */
export function syntheticInteractions(users: number, items: number, events: number, seed = 11): InteractionMatrix {
  const random = mulberry32(seed);
  const builder = new InteractionsBuilder({ capacity: events });
  const itemIds = Array.from({ length: items }, (_, i) => `i${i}`);
  const userIds = Array.from({ length: users }, (_, u) => `u${u}`);
  for (let e = 0; e < events; e++) {
    const u = Math.min(users - 1, Math.floor(users * random() ** 2));
    const i = Math.min(items - 1, Math.floor(items * random() ** 3));
    builder.add(userIds[u], itemIds[i], 1, e);
  }
  return builder.build();
}

/** Plain TypeScript twin of the WASM gemmAccF64 micro-kernel (4 x 4 register block over packed operands). */
function tsGemm(c: Float64Array, ldc: number, a: Float64Array, b: Float64Array, m: number, n: number, kk: number): void {
  for (let i = 0; i < m; i += 4) {
    for (let j = 0; j < n; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let t = 0, pa = i * kk, pb = j * kk; t < kk; t++, pa += 4, pb += 4) {
        const b0 = b[pb], b1 = b[pb + 1], b2 = b[pb + 2], b3 = b[pb + 3];
        const a0 = a[pa], a1 = a[pa + 1], a2 = a[pa + 2], a3 = a[pa + 3];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      let p = i * ldc + j;
      c[p] += c00; c[p + 1] += c01; c[p + 2] += c02; c[p + 3] += c03; p += ldc;
      c[p] += c10; c[p + 1] += c11; c[p + 2] += c12; c[p + 3] += c13; p += ldc;
      c[p] += c20; c[p + 1] += c21; c[p + 2] += c22; c[p + 3] += c23; p += ldc;
      c[p] += c30; c[p + 1] += c31; c[p + 2] += c32; c[p + 3] += c33;
    }
  }
}

/** Single-thread GFlop/s of C[512 x 512] += A[512 x 128] B[128 x 512] for each kernel. */
function gemmKernels(): BenchResult[] {
  const m = 512;
  const n = 512;
  const kk = 128;
  const { memory, blocks } = sharedLayout({ c: ['f64', m * n], a: ['f64', m * kk], b: ['f64', kk * n], c32: ['f32', m * n], a32: ['f32', m * kk], b32: ['f32', kk * n] });
  const random = mulberry32(3);
  for (const v of [blocks.a.view, blocks.b.view, blocks.a32.view, blocks.b32.view]) for (let e = 0; e < v.length; e++) v[e] = random() - 0.5;
  const wasm = localKernelEnv(memory, kernelModule()).wasm as unknown as KernelExports;
  const plain = { c: new Float64Array(m * n), a: blocks.a.view.slice(), b: blocks.b.view.slice() };
  const kernels: Array<[string, () => void]> = [
    ['typescript-f64', () => tsGemm(plain.c, n, plain.a, plain.b, m, n, kk)],
    ['wasm-simd-f64', () => wasm.gemmAccF64(blocks.c.ptr, n, blocks.a.ptr, blocks.b.ptr, m, n, kk)],
    ['wasm-simd-f32', () => wasm.gemmAccF32(blocks.c32.ptr, n, blocks.a32.ptr, blocks.b32.ptr, m, n, kk)],
  ];
  return kernels.map(([name, fn]) => {
    fn();
    const t0 = performance.now();
    let reps = 0;
    while (performance.now() - t0 < 1000) {
      fn();
      reps++;
    }
    const seconds = (performance.now() - t0) / 1000 / reps;
    return { name: `ease.gemm.${name}`, dataset: 'synthetic', metric: 'gflops', value: (2 * m * n * kk) / seconds / 1e9, unit: 'GFlop/s', extra: { threads: 1 } };
  });
}

async function fitEase(dataset: string, data: InteractionMatrix, threads: number, precision: 'float32' | 'float64'): Promise<BenchResult> {
  const name = `ease.fit-${data.matrix.cols}-items.${precision}.t${threads}`;
  const model = easeDefinition.create(easeDefinition.parseParams({ lambda: 500, precision }));
  const cpu0 = process.cpuUsage();
  const { seconds, result } = await timeIt(() => model.fit(data, { ...ctx, threads }));
  const cpu = process.cpuUsage(cpu0);
  return {
    name, dataset, metric: 'fit-seconds', value: seconds, unit: 's',
    extra: {
      threads, items: Number(result.items), gramSeconds: Number(result.gramSeconds), inverseSeconds: Number(result.inverseSeconds),
      cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: Math.round(peakRssMb()),
    },
  };
}

export async function run(): Promise<BenchResult[]> {
  const results = gemmKernels();
  const synthetic = syntheticInteractions(6040, 3706, 1_000_000);
  for (const [threads, precision] of [[1, 'float32'], [2, 'float32'], [2, 'float64']] as const) {
    results.push(await fitEase('synthetic-ml1m-shape', synthetic, threads, precision));
  }
  const dir = datasetPath('ml-latest-small');
  if (!dir) return results;
  const holdout = movieLensSmallHoldout(dir);
  const model = easeDefinition.create(easeDefinition.parseParams({ lambda: 500 }));
  const { seconds, result } = await timeIt(() => model.fit(holdout.train, { ...ctx, threads: 2 }));
  results.push({
    name: 'ease.fit', dataset: 'ml-latest-small', metric: 'fit-seconds', value: seconds, unit: 's',
    extra: { items: Number(result.items), inverseSeconds: Number(result.inverseSeconds), peakRssMb: Math.round(peakRssMb()) },
  });
  const quality = evaluateTopK(model, holdout, 10);
  results.push({ name: 'ease.ndcg@10', dataset: 'ml-latest-small', metric: 'ndcg@10', value: quality.ndcg, unit: '', extra: { hitRate: quality.hitRate } });
  return results;
}
