/**
 * Sparse EASE at catalogue sizes dense EASE cannot hold (issue 15). Part `items100k` (env SPARSE_LINEAR_PART, default
 * both): the seeded synthetic 100k users x 100k items x 5M events log, a random 20 % of 5,000 sampled users' events
 * held out; sparse EASE's fit time (wall and this process's CPU seconds), peak RSS and weights, then NDCG@10 and
 * Recall@20 of sparse EASE and item-kNN on the sampled users. Part `recbole`: sparse EASE against dense EASE (data-scaled
 * defaults, no search), 5 split seeds, on ml-latest-small (RecBole protocol) and amazon-musical-instruments-5core
 * (ratio protocol: RecBole's filters leave none of it). Results: docs/benchmarks.md, "Sparse EASE".
 */
import { fixedClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { join } from 'node:path';
import { loadDataset, type RatingsTable } from '../src/eval/dataset.js';
import type { ProtocolName } from '../src/eval/protocols.js';
import { runEvaluation } from '../src/eval/runner.js';
import { InteractionsBuilder } from '../src/models/interactions-builder.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import type { Model } from '../src/models/model.js';
import { createModel, modelDefinition } from '../src/models/registry.js';
import { resolveParams } from '../src/models/scaled-defaults.js';
import { dataShape } from '../src/models/data-shape.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { evaluateTopK, type Holdout } from '../src/testkit/quick-eval.js';
import { amazonReviews } from './amazon-reviews.js';
import { peakRssMb, timeIt, type BenchResult } from './harness.js';
import { forEachSyntheticEvent, SYNTHETIC_SIZES, type SyntheticLogSpec } from './synthetic/log.js';

const SAMPLE_USERS = 5_000;
const HOLDOUT_SHARE = 0.2;
const HOLDOUT_SEED = 15;
const RECBOLE_SEEDS = [42, 1, 2, 3, 4];
/**
 * The datasets of the dense-vs-sparse comparison, how each is read and under which protocol: RecBole's for MovieLens;
 * its filters leave nothing of the Amazon 5-core reviews, which are compared under the ratio protocol instead (as in
 * bench/scaled-defaults).
 */
const RECBOLE_DATASETS: Record<string, { load: (dir: string) => Promise<RatingsTable>; protocol: ProtocolName }> = {
  'amazon-musical-instruments-5core': { load: async (dir) => amazonReviews(join(dir, 'Musical_Instruments.json')), protocol: 'ratio' },
  'ml-latest-small': { load: (dir) => loadDataset(dir), protocol: 'recbole' },
};

/**
 * The synthetic log with a seeded `share` of each sampled user's events held out (every item keeps its index; users
 * outside the sample keep all their events in training).
 */
function syntheticHoldout(spec: SyntheticLogSpec, sampleUsers: number, share: number, seed: number): Holdout {
  const random = mulberry32(seed);
  const sampled = new Uint8Array(spec.users);
  for (let picked = 0; picked < Math.min(sampleUsers, spec.users);) {
    const u = Math.floor(random() * spec.users);
    if (sampled[u] === 0) {
      sampled[u] = 1;
      picked++;
    }
  }
  const builder = new InteractionsBuilder({ capacity: spec.events, items: Array.from({ length: spec.items }, (_, i) => `i${i}`) });
  const userIds = Array.from({ length: spec.users }, (_, u) => `u${u}`);
  userIds.forEach((id) => builder.users.add(id));
  const test: number[][] = Array.from({ length: spec.users }, () => []);
  forEachSyntheticEvent(spec, (u, i, t) => {
    if (sampled[u] === 1 && random() < share) test[u].push(i);
    else builder.add(userIds[u], `i${i}`, 1, t);
  });
  return { train: builder.build(), test: test.map((items) => Int32Array.from(items)) };
}

async function fitTimed(model: Model<object>, holdout: Holdout): Promise<{ seconds: number; cpuSeconds: number; report: Record<string, unknown> }> {
  const cpu0 = process.cpuUsage();
  const { seconds, result } = await timeIt(() => model.fit(holdout.train, { logger: silentLogger, clock: fixedClock(0), seed: 1 }));
  const cpu = process.cpuUsage(cpu0);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, report: result };
}

async function items100k(): Promise<BenchResult[]> {
  const spec = SYNTHETIC_SIZES.items100k;
  const holdout = syntheticHoldout(spec, SAMPLE_USERS, HOLDOUT_SHARE, HOLDOUT_SEED);
  const baseRss = peakRssMb();
  const shape = dataShape(holdout.train.matrix);
  const out: BenchResult[] = [];
  const dataset = `${spec.name} (seed ${spec.seed})`;
  for (const name of ['sparse-ease', 'itemknn']) {
    const model = createModel(name, resolveParams(modelDefinition(name), {}, shape).params);
    const fit = await fitTimed(model, holdout);
    const rss = peakRssMb();
    const at10 = evaluateTopK(model, holdout, 10);
    const at20 = evaluateTopK(model, holdout, 20);
    const extra = { cpuSeconds: fit.cpuSeconds, peakRssMb: rss, rssBeforeFitsMb: baseRss, users: at10.users, report: JSON.stringify(fit.report) };
    out.push({ name: `sparse-linear.${name}.fit`, dataset, metric: 'seconds', value: fit.seconds, unit: 's', extra });
    out.push({ name: `sparse-linear.${name}`, dataset, metric: 'ndcg@10', value: at10.ndcg, unit: 'ratio', extra: { users: at10.users } });
    out.push({ name: `sparse-linear.${name}`, dataset, metric: 'recall@20', value: at20.recall, unit: 'ratio', extra: { users: at20.users } });
  }
  return out;
}

async function recbole(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const [name, { load, protocol }] of Object.entries(RECBOLE_DATASETS)) {
    const dir = datasetPath(name);
    if (!dir) continue;
    const data = await load(dir);
    const tests: Record<string, number[]> = { ease: [], 'sparse-ease': [] };
    for (const seed of RECBOLE_SEEDS) {
      const res = await runEvaluation({ data, protocol, models: [{ name: 'ease' }, { name: 'sparse-ease' }], ks: [10, 20], seed });
      for (const r of res.results) {
        tests[r.model].push(r.metrics['ndcg@10']);
        const row: BenchResult = { name: `sparse-linear.recbole.${r.model}`, dataset: name, metric: 'ndcg@10', value: r.metrics['ndcg@10'], unit: 'ratio', extra: { seed, protocol, recall20: r.metrics['recall@20'], fitSeconds: r.fitSeconds, params: JSON.stringify(r.params) } };
        console.log(JSON.stringify(row)); // a long run's partial results survive a later failure
        out.push(row);
      }
    }
    for (const [model, values] of Object.entries(tests)) {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
      out.push({ name: `sparse-linear.recbole.${model}`, dataset: name, metric: 'mean-ndcg@10', value: mean, unit: 'ratio', extra: { sd, protocol, seeds: RECBOLE_SEEDS.join(' ') } });
    }
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const part = process.env.SPARSE_LINEAR_PART ?? 'all';
  return [...(part === 'recbole' ? [] : await items100k()), ...(part === 'items100k' ? [] : await recbole())];
}
