/**
 * Full-ranking evaluation at scale (issue 15). Part 1, `items100k` (the synthetic log of bench/synthetic/log.ts:
 * 100k users, 100k items, 5M events, seed 2): the work `runEvaluation` does per model under the ratio protocol
 * (per-user random 80/10/10, full ranking, NDCG@10 / Recall@20), split once: fit popularity, item-kNN, ALS and sparse EASE with
 * their data-scaled defaults, rank valid then test on every core; wall and CPU seconds of each step, test users per
 * second, peak RSS; plus the per-user recommend() path on a sample of test users for comparison. Part 2, ml-latest-small: the per-user
 * path against the block path, alternating in one process, per model.
 *
 * `KINDRED_DATA_DIR=/work/shared/data nice -n 10 npm run bench -- eval-scale` (EVAL_SCALE_PARTS=small or items100k
 * runs one part; EVAL_SCALE_MODELS chooses part 1's models, EVAL_SCALE_MACHINE records what else ran). Part 1 ends with
 * the whole evaluation's wall and CPU time (split and every model, as `kindred eval` would run them).
 */
import { loadDataset } from '../src/eval/dataset.js';
import { RatingsTableBuilder, type RatingsTable } from '../src/eval/dataset.js';
import { rankUsers } from '../src/eval/ranking.js';
import { accuracyMetrics } from '../src/eval/metrics/evaluate.js';
import { prepareEvaluation, type EvalSetup } from '../src/eval/setup.js';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { dataShape } from '../src/models/data-shape.js';
import type { Model } from '../src/models/model.js';
import { modelDefinition } from '../src/models/registry.js';
import { resolveParams } from '../src/models/scaled-defaults.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { peakRssMb, type BenchResult } from './harness.js';
import { forEachSyntheticEvent, SYNTHETIC_SIZES } from './synthetic/log.js';

/** The four: popularity, item-kNN, ALS and the sparse EASE-family model (EVAL_SCALE_MODELS overrides). */
const SCALE_MODELS = (process.env.EVAL_SCALE_MODELS ?? 'popular,itemknn,als,sparse-ease').split(',');
/** What else ran on the machine, recorded with each result (EVAL_SCALE_MACHINE, e.g. "quiet" or "shared"). */
const MACHINE = process.env.EVAL_SCALE_MACHINE ?? 'not recorded';
const SMALL_MODELS = ['popular', 'itemknn', 'ease', 'als', 'bpr'];
/** Test users the per-user path ranks on items100k (all 100k would take hours: the point of the block path). */
const PER_USER_SAMPLE = 300;
const SMALL_ROUNDS = 5;
/**
 * EVAL_SCALE_USERS=n ranks an evenly strided sample of about n valid and n test users instead of all (ranking time
 * is linear in users: the full time is extrapolated), for a machine too busy to rank all 2 × 100k in one sitting.
 */
const RANKED_USERS = Number(process.env.EVAL_SCALE_USERS ?? 0);

function strided(users: Int32Array): Int32Array {
  if (!(RANKED_USERS > 0) || RANKED_USERS >= users.length) return users;
  const step = users.length / RANKED_USERS;
  return Int32Array.from({ length: RANKED_USERS }, (_, j) => users[Math.floor(j * step)]);
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The synthetic log as a ratings table (weight 1, unix seconds). */
function syntheticTable(): RatingsTable {
  const spec = SYNTHETIC_SIZES.items100k;
  const builder = new RatingsTableBuilder();
  forEachSyntheticEvent(spec, (u, i, t) => builder.push(`u${u}`, `i${i}`, 1, Math.floor(t / 1000)));
  return builder.build(spec.name);
}

async function fitOn(setup: EvalSetup, name: string): Promise<Model<object>> {
  const def = modelDefinition(name);
  const model = def.create(resolveParams(def, {}, dataShape(setup.train.matrix)).params);
  await model.fit(setup.train, { logger: silentLogger, clock: systemClock, seed: 42 });
  return model;
}

async function scalePart(out: BenchResult[]): Promise<void> {
  const dataset = SYNTHETIC_SIZES.items100k.name;
  let c0 = cpuSeconds();
  let t0 = performance.now();
  const start = { wall: t0, cpu: c0 };
  const setup = prepareEvaluation({ data: syntheticTable(), protocol: 'ratio', seed: 42 });
  const prep = { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSeconds() - c0, ...setup.summary };
  console.log('prepared', JSON.stringify(prep));
  const perUserTotal = { seconds: 0, cpu: 0 };
  out.push({ name: 'eval-scale.prepare', dataset, metric: 'seconds', value: prep.seconds, unit: 's', extra: { cpuSeconds: prep.cpuSeconds, peakRssMb: peakRssMb() } });
  for (const name of SCALE_MODELS) {
    c0 = cpuSeconds();
    t0 = performance.now();
    const model = await fitOn(setup, name);
    const fit = { seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0 };
    // what runEvaluation does per model after fitting: full ranking of valid (train masked), then of test
    const timed = async (users: Int32Array, exclude: (u: number) => Int32Array): Promise<{ lists: Int32Array[]; seconds: number; cpu: number }> => {
      const c = cpuSeconds();
      const t = performance.now();
      const lists = await rankUsers(model, { users, k: 20, exclude });
      return { lists, seconds: (performance.now() - t) / 1000, cpu: cpuSeconds() - c };
    };
    const validUsers = strided(setup.validUsers);
    const testUsers = strided(setup.testUsers);
    const valid = await timed(validUsers, setup.validMask);
    const test = await timed(testUsers, setup.testMask);
    const metrics = accuracyMetrics({ users: testUsers, lists: test.lists, truth: setup.test.matrix }, [10, 20]);
    // full ranking time, extrapolated linearly when only a sample was ranked
    const scale = (sampled: number, all: number): number => all / sampled;
    const validFull = valid.seconds * scale(validUsers.length, setup.validUsers.length);
    const testFull = test.seconds * scale(testUsers.length, setup.testUsers.length);
    const rankCpuFull = valid.cpu * scale(validUsers.length, setup.validUsers.length) + test.cpu * scale(testUsers.length, setup.testUsers.length);
    // the per-user path on a sample, for the speed-up (one thread, as it always ran)
    const sample = setup.testUsers.subarray(0, PER_USER_SAMPLE);
    const t1 = performance.now();
    const c1 = cpuSeconds();
    await rankUsers(model, { users: sample, k: 20, exclude: setup.testMask, blockScoring: false });
    const perUserSeconds = (performance.now() - t1) / 1000;
    const perUserCpu = cpuSeconds() - c1;
    perUserTotal.seconds += perUserSeconds;
    perUserTotal.cpu += perUserCpu;
    const extra = {
      fitSeconds: fit.seconds, fitCpuSeconds: fit.cpu, validRankSeconds: valid.seconds, validRankCpuSeconds: valid.cpu,
      testRankSeconds: test.seconds, testRankCpuSeconds: test.cpu, rankedValidUsers: validUsers.length, rankedTestUsers: testUsers.length,
      validUsers: setup.validUsers.length, testUsers: setup.testUsers.length, fullRankSeconds: validFull + testFull, fullRankCpuSeconds: rankCpuFull,
      testUsersPerSecond: testUsers.length / test.seconds, testUsersPerCpuSecond: testUsers.length / test.cpu,
      perUserPathUsersPerSecond: sample.length / perUserSeconds, perUserPathUsersPerCpuSecond: sample.length / perUserCpu,
      ndcg10: metrics['ndcg@10'], recall20: metrics['recall@20'], peakRssMb: peakRssMb(), machine: MACHINE,
    };
    const seconds = fit.seconds + validFull + testFull;
    out.push({ name: `eval-scale.${name}`, dataset, metric: 'fit + valid + test s', value: seconds, unit: 's', extra });
    console.log(name, JSON.stringify(extra));
  }
  // the whole evaluation as `kindred eval` runs it (split, then every model's fit and full ranking), less the per-user
  // path samples, which runEvaluation does not run
  const whole = { seconds: (performance.now() - start.wall) / 1000 - perUserTotal.seconds, cpuSeconds: cpuSeconds() - start.cpu - perUserTotal.cpu };
  out.push({ name: 'eval-scale.all-models', dataset, metric: 'split + fit + valid + test s', value: whole.seconds, unit: 's', extra: { ...whole, models: SCALE_MODELS.join(','), sampledUsers: RANKED_USERS || 'all', peakRssMb: peakRssMb(), machine: MACHINE } });
  console.log('whole evaluation', JSON.stringify(whole));
}

async function smallPart(out: BenchResult[]): Promise<void> {
  const dir = datasetPath('ml-latest-small');
  if (!dir) return;
  const setup = prepareEvaluation({ data: await loadDataset(dir), protocol: 'ratio', seed: 42 });
  for (const name of SMALL_MODELS) {
    const model = await fitOn(setup, name);
    const opts = { users: setup.testUsers, k: 20, exclude: setup.testMask };
    const time = { perUser: 0, blocks: 0, perUserCpu: 0, blocksCpu: 0 };
    for (let round = 0; round < SMALL_ROUNDS; round++) {
      for (const blockScoring of [false, true]) {
        const c0 = cpuSeconds();
        const t0 = performance.now();
        await rankUsers(model, { ...opts, blockScoring });
        const wall = (performance.now() - t0) / 1000;
        const cpu = cpuSeconds() - c0;
        if (blockScoring) { time.blocks += wall; time.blocksCpu += cpu; } else { time.perUser += wall; time.perUserCpu += cpu; }
      }
    }
    const extra = { perUserSeconds: time.perUser / SMALL_ROUNDS, blockSeconds: time.blocks / SMALL_ROUNDS, cpuRatio: time.perUserCpu / time.blocksCpu, users: setup.testUsers.length, rounds: SMALL_ROUNDS };
    out.push({ name: `eval-scale.${name}.old-vs-new`, dataset: 'ml-latest-small', metric: 'per-user / block time', value: time.perUser / time.blocks, unit: 'x', extra });
    console.log(name, JSON.stringify(extra));
  }
}

export async function run(): Promise<BenchResult[]> {
  const parts = (process.env.EVAL_SCALE_PARTS ?? 'small,items100k').split(',');
  const out: BenchResult[] = [];
  if (parts.includes('small')) await smallPart(out);
  if (parts.includes('items100k')) await scalePart(out);
  return out;
}
