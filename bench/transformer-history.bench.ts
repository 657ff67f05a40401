/**
 * Which history the Transformer predicts from (issue 14): one fit on a dataset's leave-last-one-out training data,
 * then NDCG@10 (full ranking) on valid (from the training rows, as the model was fitted on them to the end), on
 * test from the training rows only (two steps ahead, Kindred's `loo` before 2026-12-07) and on test with the valid
 * item read but not trained on (SASRec's protocol, `kindred eval --protocol loo` now). A model that gains less than
 * others from the extra item, or scores test below valid, predicts better from histories it was trained on than from
 * new ones. TRANSFORMER_HISTORY_DATASET (default ml-100k), TRANSFORMER_HISTORY_PARAMS (JSON over the defaults),
 * TRANSFORMER_HISTORY_SEED (model seed, default 7; the split is `loo`'s, the same for every seed) and
 * TRANSFORMER_HISTORY_THREADS (default 1) choose the run. Minutes per run: run it by name. Results: docs/benchmarks.md.
 *
 * `KINDRED_DATA_DIR=/work/shared/data TRANSFORMER_HISTORY_DATASET=ml-latest-small TRANSFORMER_HISTORY_PARAMS='{"maxLength":20}' npm run bench -- transformer-history`
 */
import { systemClock } from '../src/core/clock.js';
import type { InteractionMatrix } from '../src/core/interactions.js';
import { silentLogger } from '../src/core/logger.js';
import { loadDataset } from '../src/eval/dataset.js';
import { historyRow } from '../src/eval/matrix.js';
import { accuracyMetrics } from '../src/eval/metrics/evaluate.js';
import { rankUsers } from '../src/eval/ranking.js';
import { prepareEvaluation } from '../src/eval/setup.js';
import type { Model } from '../src/models/model.js';
import { transformerDefinition } from '../src/models/transformer/transformer.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';

async function ndcgAt10(
  model: Model<object>, users: Int32Array, truth: InteractionMatrix, exclude: (u: number) => Int32Array, history?: InteractionMatrix,
): Promise<number> {
  const lists = await rankUsers(model, { users, k: 10, exclude, ...(history ? { history: (u: number) => historyRow(history, u) } : {}) });
  return accuracyMetrics({ users, lists, truth: truth.matrix }, [10])['ndcg@10'];
}

export async function run(): Promise<BenchResult[]> {
  const dataset = process.env.TRANSFORMER_HISTORY_DATASET ?? 'ml-100k';
  const dir = datasetPath(dataset);
  if (!dir) return [];
  const params = JSON.parse(process.env.TRANSFORMER_HISTORY_PARAMS ?? '{}') as Record<string, unknown>;
  const seed = Number(process.env.TRANSFORMER_HISTORY_SEED ?? 7);
  const setup = prepareEvaluation({ data: await loadDataset(dir), protocol: 'loo', seed: 1 });
  const withValid = setup.testHistory;
  if (!withValid) throw new Error('loo reads the valid item when it scores test: no test history was prepared');
  const model = transformerDefinition.create(transformerDefinition.parseParams(params));
  await model.fit(setup.train, { logger: silentLogger, clock: systemClock, threads: Number(process.env.TRANSFORMER_HISTORY_THREADS ?? 1), seed });
  const valid = await ndcgAt10(model, setup.validUsers, setup.valid, setup.validMask);
  const testFromTrain = await ndcgAt10(model, setup.testUsers, setup.test, setup.testMask);
  const testWithValid = await ndcgAt10(model, setup.testUsers, setup.test, setup.testMask, withValid);
  const extra = { valid, testFromTrain, params: JSON.stringify(params), seed };
  console.log(dataset, JSON.stringify(extra));
  return [{ name: 'transformer.history.test-with-valid', dataset, metric: 'ndcg@10', value: testWithValid, unit: '', extra }];
}
