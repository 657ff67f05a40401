/**
 * What the care re-rank stages cost per request, on the pool they work on: the first 3 × count fused candidates of
 * a list of 10 (30 items), ml-latest-small's genres (Jaccard), 5 000 random pools. Times the diversity stage (DPP and
 * MMR, similarity included) and calibration's greedy picks against a random user's genre mix; reports p50 and p99.
 */
import { performance } from 'node:perf_hooks';
import { calibratedOrder, categoryMix } from '../src/care/calibration.js';
import { dppOrder } from '../src/care/dpp.js';
import { mmrOrder, positionalRelevance } from '../src/care/mmr.js';
import { jaccardMatrix } from '../src/care/similarity.js';
import { loadDataset } from '../src/eval/dataset.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, type BenchResult } from './harness.js';

const POOL = 30;
const COUNT = 10;
const ROUNDS = 5000;

export async function run(): Promise<BenchResult[]> {
  const dir = datasetPath('ml-latest-small');
  if (!dir) return [];
  const data = await loadDataset(dir);
  const genres = (data.itemCategories ?? []).filter((g) => g.length > 0);
  let seed = 42;
  const pick = () => genres[(seed = (seed * 16807) % 2147483647) % genres.length];
  const timings: Record<string, number[]> = { dpp: [], mmr: [], calibration: [] };
  const relevance = positionalRelevance(POOL);
  for (let r = 0; r < ROUNDS; r++) {
    const pool = Array.from({ length: POOL }, pick);
    const user = categoryMix(Array.from({ length: 50 }, pick));
    let t0 = performance.now();
    dppOrder(jaccardMatrix(pool).sim, relevance, COUNT, 0.2);
    timings.dpp.push(performance.now() - t0);
    t0 = performance.now();
    mmrOrder(jaccardMatrix(pool).sim, relevance, COUNT, 0.3);
    timings.mmr.push(performance.now() - t0);
    t0 = performance.now();
    calibratedOrder(pool, relevance, user, COUNT, 0.3);
    timings.calibration.push(performance.now() - t0);
  }
  return Object.entries(timings).flatMap(([name, ms]) => {
    const sorted = ms.sort((a, b) => a - b);
    return [50, 99].map((p) => ({ name: `care-latency.${name}`, dataset: 'ml-latest-small', metric: `p${p}`, value: percentile(sorted, p), unit: 'ms', extra: { pool: POOL, count: COUNT, rounds: ROUNDS } }));
  });
}
