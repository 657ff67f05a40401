/**
 * Implicit ALS at ML-20M's size (issue 15): the seeded synthetic ML-20M-like log of bench/synthetic (138,493 users,
 * 26,744 items, 20M events, seed 3), 15 iterations at 64 factors on every core: seconds to build the matrix, seconds
 * per iteration and the process's peak RSS. Minutes of work: run it by name (`npm run bench -- als-ml20m`).
 */
import { fixedClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { alsDefinition } from '../src/models/als/als.js';
import { peakRssMb, timeIt, type BenchResult } from './harness.js';
import { SYNTHETIC_SIZES, syntheticMatrix } from './synthetic/log.js';

const ITERATIONS = 15;

export async function run(): Promise<BenchResult[]> {
  const spec = SYNTHETIC_SIZES.ml20m;
  const build = await timeIt(() => syntheticMatrix(spec));
  const data = build.result;
  const rssAfterBuild = peakRssMb();
  const model = alsDefinition.create(alsDefinition.parseParams({ factors: 64, iterations: ITERATIONS }));
  const cpu0 = process.cpuUsage();
  const fit = await timeIt(() => model.fit(data, { logger: silentLogger, clock: fixedClock(Date.UTC(2024, 0, 1)), seed: 1 }));
  const cpu = process.cpuUsage(cpu0);
  const extra = {
    events: data.matrix.nnz, users: data.matrix.rows, items: data.matrix.cols, fitSeconds: fit.seconds,
    cpuSecondsPerIteration: (cpu.user + cpu.system) / 1e6 / ITERATIONS, peakRssAfterBuildMb: Math.round(rssAfterBuild), seed: spec.seed,
  };
  return [
    { name: 'als.ml20m.build-matrix', dataset: spec.name, metric: 'seconds', value: build.seconds, unit: 's' },
    { name: 'als.ml20m.iteration', dataset: spec.name, metric: 'seconds', value: fit.seconds / ITERATIONS, unit: 's', extra },
    { name: 'als.ml20m', dataset: spec.name, metric: 'peakRss', value: peakRssMb(), unit: 'MiB' },
  ];
}
