/**
 * Where `sequential` and the Transformer win on leave-last-one-out (issue 14): one fit of each on the `loo` training
 * data, test scored with the valid item read (as `kindred eval --protocol loo`), and each test user's NDCG@10 bucketed
 * by how often their (valid item → test item) pair occurred in the training sequences, the test item up to 3 steps
 * after the valid one (the window `sequential` counts): never, once, or more. A pair seen once is a fact only a model
 * that stores pairs can recall; a model of item vectors must generalise to it. NEXT_PAIRS_DATASET (default ml-100k),
 * NEXT_PAIRS_SEED (model seed, default 1) and NEXT_PAIRS_THREADS (default 1) choose the run. Minutes per run: run it
 * by name. Results: docs/benchmarks.md.
 *
 * `KINDRED_DATA_DIR=/work/shared/data NEXT_PAIRS_DATASET=ml-latest-small npm run bench -- next-item-pairs`
 */
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { loadDataset } from '../src/eval/dataset.js';
import { historyRow } from '../src/eval/matrix.js';
import { rankUsers } from '../src/eval/ranking.js';
import { prepareEvaluation } from '../src/eval/setup.js';
import type { ModelDefinition } from '../src/models/definition.js';
import { sequentialDefinition } from '../src/models/sequential/sequential.js';
import { sequencesOf } from '../src/models/sequential/transitions.js';
import { transformerDefinition } from '../src/models/transformer/transformer.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

/** Steps after an item within which a later item counts as following it (sequential's default window). */
const WINDOW = 3;

/** How often b came 1..WINDOW steps after a in the sequences, for each wanted (a, b) pair ("a b" keys). */
function pairCounts(sequences: Int32Array[], wanted: Set<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const seq of sequences) {
    for (let p = 0; p < seq.length; p++) {
      for (let d = 1; d <= WINDOW && p + d < seq.length; d++) {
        const key = `${seq[p]} ${seq[p + d]}`;
        if (wanted.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return counts;
}

export async function run(): Promise<BenchResult[]> {
  const dataset = process.env.NEXT_PAIRS_DATASET ?? 'ml-100k';
  const dir = datasetPath(dataset);
  if (!dir) return [];
  const seed = Number(process.env.NEXT_PAIRS_SEED ?? 1);
  const threads = Number(process.env.NEXT_PAIRS_THREADS ?? 1);
  const setup = prepareEvaluation({ data: await loadDataset(dir), protocol: 'loo', seed: 1 });
  const history = setup.testHistory;
  if (!history) throw new Error('loo reads the valid item when it scores test: no test history was prepared');
  // users with a valid and a test item: their pair's bucket
  const users = Array.from(setup.testUsers).filter((u) => setup.valid.matrix.rowLength(u) === 1);
  const pairOf = (u: number): string => `${setup.valid.matrix.rowIndices(u)[0]} ${setup.test.matrix.rowIndices(u)[0]}`;
  const counts = pairCounts(sequencesOf(setup.train), new Set(users.map(pairOf)));
  const bucketOf = (u: number): string => {
    const c = counts.get(pairOf(u)) ?? 0;
    return c === 0 ? 'never' : c === 1 ? 'once' : 'twice or more';
  };
  const buckets = ['never', 'once', 'twice or more', 'all'];
  const out: BenchResult[] = [];
  for (const definition of [sequentialDefinition, transformerDefinition] as Array<ModelDefinition<object>>) {
    const model = definition.create(definition.defaults);
    await model.fit(setup.train, { logger: silentLogger, clock: systemClock, threads, seed });
    const lists = await rankUsers(model, { users: Int32Array.from(users), k: 10, exclude: setup.testMask, history: (u) => historyRow(history, u) });
    const sums = new Map(buckets.map((b) => [b, { ndcg: 0, users: 0 }]));
    users.forEach((u, i) => {
      const rank = lists[i].indexOf(setup.test.matrix.rowIndices(u)[0]);
      const gain = rank < 0 ? 0 : 1 / Math.log2(rank + 2);
      for (const b of [bucketOf(u), 'all']) {
        const s = sums.get(b)!;
        s.ndcg += gain;
        s.users++;
      }
    });
    for (const b of buckets) {
      const s = sums.get(b)!;
      const value = s.users > 0 ? s.ndcg / s.users : 0;
      console.log(`${dataset} ${definition.name} pair seen ${b}: ${s.users} users, NDCG@10 ${value.toFixed(4)}`);
      out.push({ name: `next-item-pairs.${definition.name}.${b.replace(/ /g, '-')}`, dataset, metric: 'ndcg@10', value, unit: '', extra: { users: s.users, seed } });
    }
  }
  return out;
}
