/**
 * The Transformer's learning curve in users (issue 14): does it gain on `sequential` as the log grows? For each
 * dataset, keep a seeded random fraction of the users (every rating of each kept user) and run `kindred eval
 * --protocol loo`'s evaluation (runEvaluation: the same split, fits, folding in and metrics; full ranking, k 10,
 * one thread) for `transformer` once per model seed and for `sequential` and EASE once (their fits do not depend on
 * the seed; seed 1). At fraction 1 the numbers are the CLI's.
 *
 * The users are drawn once from one seeded shuffle (TRANSFORMER_USERS_SAMPLE_SEED, default 1) and each fraction keeps
 * its first share, so the samples are nested and fixed: only the model seed varies within a fraction.
 * TRANSFORMER_USERS_DATASETS (default ml-100k,ml-latest-small), TRANSFORMER_USERS_FRACTIONS (default 0.25,0.5,1),
 * TRANSFORMER_USERS_SEEDS (transformer seeds, default 1,2,3) and TRANSFORMER_USERS_MODELS (default
 * transformer,sequential,ease) choose the run. Minutes per transformer fit: run it by name. Results: docs/benchmarks.md.
 *
 * `KINDRED_DATA_DIR=/work/shared/data TRANSFORMER_USERS_FRACTIONS=0.25,0.5 nice -n 10 npm run bench -- transformer-users`
 */
import { loadDataset, rowCount, selectRows, type RatingsTable } from '../src/eval/dataset.js';
import { createRandom, deriveSeed, shuffleInPlace } from '../src/eval/random.js';
import { runEvaluation } from '../src/eval/runner.js';
import type { ModelResult } from '../src/eval/result.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

function list(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function numbers(name: string, fallback: string): number[] {
  return list(name, fallback).map((s) => {
    const n = Number(s);
    if (!Number.isFinite(n)) throw new Error(`${name}: "${s}" is not a number`);
    return n;
  });
}

/** The users of a seeded shuffle of the table's users, first-come. Nested: a larger fraction keeps a smaller one's users. */
function userOrder(table: RatingsTable, seed: number): Int32Array {
  const order = Int32Array.from({ length: table.users.size }, (_, u) => u);
  return shuffleInPlace(order, createRandom(deriveSeed(seed, 'transformer-users')));
}

/** Every rating of the first round(fraction × users) users of `order`; the table itself at fraction 1 (the CLI's data). */
function keepUsers(table: RatingsTable, order: Int32Array, fraction: number): RatingsTable {
  if (fraction >= 1) return table;
  const kept = new Uint8Array(table.users.size);
  const n = Math.max(1, Math.round(fraction * table.users.size));
  for (let j = 0; j < n; j++) kept[order[j]] = 1;
  const rows = new Uint8Array(table.user.length);
  for (let r = 0; r < rows.length; r++) rows[r] = kept[table.user[r]];
  return { ...selectRows(table, rows), name: `${table.name}@${fraction}` };
}

/** `kindred eval --protocol loo --models <model> --seed <seed> --k 10 --threads 1` on `data`; rows and items after dedup. */
async function evaluate(data: RatingsTable, model: string, seed: number): Promise<{ result: ModelResult } & Record<'users' | 'testUsers' | 'rows' | 'items' | 'train', number>> {
  const res = await runEvaluation({ data, protocol: 'loo', models: [{ name: model }], ks: [10], seed, threads: 1 });
  const { users, testUsers, rows, items, train } = res.split;
  return { result: res.results[0], users, testUsers, rows, items, train };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function run(): Promise<BenchResult[]> {
  const fractions = numbers('TRANSFORMER_USERS_FRACTIONS', '0.25,0.5,1');
  const seeds = numbers('TRANSFORMER_USERS_SEEDS', '1,2,3');
  const models = list('TRANSFORMER_USERS_MODELS', 'transformer,sequential,ease');
  const sampleSeed = Number(process.env.TRANSFORMER_USERS_SAMPLE_SEED ?? 1);
  const out: BenchResult[] = [];
  for (const dataset of list('TRANSFORMER_USERS_DATASETS', 'ml-100k,ml-latest-small')) {
    const dir = datasetPath(dataset);
    if (!dir) continue;
    const full = await loadDataset(dir);
    const order = userOrder(full, sampleSeed);
    for (const fraction of fractions) {
      const data = keepUsers(full, order, fraction);
      const means: Record<string, number> = {};
      for (const model of models) {
        // Only the Transformer's fit moves with the seed; the count models and EASE are fitted once.
        const modelSeeds = model === 'transformer' ? seeds : [seeds[0]];
        const ndcg: number[] = [];
        for (const seed of modelSeeds) {
          const { result, users, testUsers, rows, items, train } = await evaluate(data, model, seed);
          const extra = {
            fraction, seed, users, testUsers, interactions: rowCount(data), rows, items, train, hr10: result.metrics['hit@10'],
            validNdcg10: result.validMetrics['ndcg@10'], fitSeconds: result.fitSeconds,
          };
          ndcg.push(result.metrics['ndcg@10']);
          console.log(dataset, model, JSON.stringify({ ndcg10: result.metrics['ndcg@10'], ...extra }));
          out.push({ name: `transformer-users.${model}@${fraction}`, dataset, metric: 'ndcg@10', value: result.metrics['ndcg@10'], unit: '', extra });
        }
        means[model] = mean(ndcg);
      }
      if (means.transformer !== undefined && means.sequential !== undefined) {
        const ratio = means.transformer / means.sequential;
        console.log(dataset, 'ratio', JSON.stringify({ fraction, transformer: means.transformer, sequential: means.sequential, ratio }));
        out.push({ name: `transformer-users.ratio@${fraction}`, dataset, metric: 'transformer/sequential', value: ratio, unit: '', extra: { fraction, seeds: seeds.join(',') } });
      }
    }
  }
  return out;
}
