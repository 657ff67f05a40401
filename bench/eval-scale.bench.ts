/**
 * Full-ranking evaluation at scale (issue 15). Part 1, `items100k` (the synthetic log of bench/synthetic/log.ts:
 * 100k users, 100k items, 5M events, seed 2): `runEvaluation` with the ratio protocol (per-user random 80/10/10,
 * full ranking, NDCG@10 / Recall@20) of popularity, item-kNN and ALS with their data-scaled defaults, one model per
 * run: wall and CPU seconds, the seconds of each full ranking (valid, test), test users per second, peak RSS; plus
 * the per-user recommend() path on a sample of test users for comparison. Part 2, ml-latest-small: the per-user
 * path against the block path, alternating in one process, per model.
 *
 * `KINDRED_DATA_DIR=/work/shared/data nice -n 10 npm run bench -- eval-scale` (EVAL_SCALE_PARTS=small or items100k
 * runs one part).
 */
import { loadDataset } from '../src/eval/dataset.js';
import { RatingsTableBuilder, type RatingsTable } from '../src/eval/dataset.js';
import { rankUsers } from '../src/eval/ranking.js';
import { runEvaluation, type EvalProgress } from '../src/eval/runner.js';
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

const SCALE_MODELS = ['popular', 'itemknn', 'als'];
const SMALL_MODELS = ['popular', 'itemknn', 'ease', 'als', 'bpr'];
/** Test users the per-user path ranks on items100k (all 100k would take hours: the point of the block path). */
const PER_USER_SAMPLE = 500;
const SMALL_ROUNDS = 5;

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
  const data = syntheticTable();
  for (const name of SCALE_MODELS) {
    const phases = new Map<string, number>();
    const started = new Map<string, number>();
    const onProgress = (p: EvalProgress): void => {
      const now = performance.now();
      if (!started.has(p.phase)) started.set(p.phase, now);
      if (p.done === p.total) phases.set(p.phase, (now - (started.get(p.phase) ?? now)) / 1000);
    };
    const cpu0 = cpuSeconds();
    const t0 = performance.now();
    const res = await runEvaluation({ data, protocol: 'ratio', models: [{ name }], ks: [10, 20], seed: 42, onProgress });
    const seconds = (performance.now() - t0) / 1000;
    const r = res.results[0];
    const testUsers = res.split.testUsers;
    const extra = {
      cpuSeconds: cpuSeconds() - cpu0, fitSeconds: r.fitSeconds, validRankSeconds: phases.get('valid') ?? NaN, testRankSeconds: r.scoreSeconds,
      testUsers, usersPerSecond: testUsers / r.scoreSeconds, ndcg10: r.metrics['ndcg@10'], recall20: r.metrics['recall@20'], peakRssMb: peakRssMb(),
      items: res.split.items, shared: 'machine shared with ~6 engineers',
    };
    out.push({ name: `eval-scale.${name}`, dataset, metric: 'eval seconds', value: seconds, unit: 's', extra });
    console.log(name, JSON.stringify(extra));
  }
  // the per-user path on a sample, for the speed-up (one thread, as it always ran)
  const setup = prepareEvaluation({ data, protocol: 'ratio', seed: 42 });
  const users = setup.testUsers.subarray(0, PER_USER_SAMPLE);
  for (const name of SCALE_MODELS) {
    const model = await fitOn(setup, name);
    const t0 = performance.now();
    await rankUsers(model, { users, k: 20, exclude: setup.testMask, blockScoring: false });
    const perUser = users.length / ((performance.now() - t0) / 1000);
    out.push({ name: `eval-scale.${name}.per-user-path`, dataset, metric: 'users/s', value: perUser, unit: 'users/s', extra: { sample: users.length } });
    console.log(name, 'per-user users/s', perUser);
  }
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
