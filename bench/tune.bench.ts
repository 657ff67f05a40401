/**
 * What `train --tune` buys over the defaults, measured where a test part exists: the tuner gets an eval split's
 * train part as if it were a store's data (it holds out its own validation from it), its choice is fitted on that
 * train part and scored on test, beside EASE with the old fixed λ 500 and with the data-scaled λ. TUNE_BUDGET sets
 * the budget in seconds (default 120).
 */
import { join } from 'node:path';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { loadDataset, type RatingsTable } from '../src/eval/dataset.js';
import { accuracyMetrics } from '../src/eval/metrics/evaluate.js';
import type { ProtocolName } from '../src/eval/protocols.js';
import { rankUsers } from '../src/eval/ranking.js';
import { prepareEvaluation, type EvalSetup } from '../src/eval/setup.js';
import { chooseMainModel } from '../src/jobs/main-model-choice.js';
import { dataShape } from '../src/models/data-shape.js';
import { easeDefinition } from '../src/models/ease/ease.js';
import { modelDefinition } from '../src/models/registry.js';
import { resolveParams } from '../src/models/scaled-defaults.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { amazonReviews } from './amazon-reviews.js';
import type { BenchResult } from './harness.js';

async function testNdcg(setup: EvalSetup, model: string, params: Record<string, unknown>): Promise<number> {
  const def = modelDefinition(model);
  const m = def.create(def.parseParams(params));
  const now = setup.trainEndMs;
  await m.fit(setup.train, { logger: silentLogger, clock: { now: () => now }, seed: 42 });
  const lists = await rankUsers(m, { users: setup.testUsers, k: 10, exclude: setup.testMask });
  return accuracyMetrics({ users: setup.testUsers, lists, truth: setup.test.matrix }, [10])['ndcg@10'];
}

export async function run(): Promise<BenchResult[]> {
  const budgetSeconds = Number(process.env.TUNE_BUDGET ?? 120);
  const cases: Array<{ name: string; data: () => Promise<RatingsTable>; protocol: ProtocolName }> = [];
  const ml100k = datasetPath('ml-100k');
  const mlSmall = datasetPath('ml-latest-small');
  const amazon = datasetPath('amazon-musical-instruments-5core');
  if (ml100k) cases.push({ name: 'ml-100k', data: () => loadDataset(ml100k), protocol: 'recbole' });
  if (mlSmall) cases.push({ name: 'ml-latest-small', data: () => loadDataset(mlSmall), protocol: 'recbole' });
  if (amazon) cases.push({ name: 'amazon-mi', data: async () => amazonReviews(join(amazon, 'Musical_Instruments.json')), protocol: 'ratio' });
  if (ml100k) cases.push({ name: 'ml-100k', data: () => loadDataset(ml100k), protocol: 'recbole-quickstart' });
  const out: BenchResult[] = [];
  for (const c of cases) {
    const setup = prepareEvaluation({ data: await c.data(), protocol: c.protocol, seed: 42 });
    const dataset = `${c.name} ${c.protocol}`;
    const scaled = resolveParams(easeDefinition, {}, dataShape(setup.train.matrix)).params;
    const old = await testNdcg(setup, 'ease', { lambda: 500 });
    const now = await testNdcg(setup, 'ease', scaled);
    const t0 = performance.now();
    // the path `train --tune` takes: search on a split of the data, then the choice resolved against all of it
    const { record } = await chooseMainModel(setup.train, { model: 'ease', params: {}, tune: { budgetSeconds } }, { clock: systemClock, logger: silentLogger });
    const choice = { model: record.model, params: record.params, ...record.tuning };
    const tuned = await testNdcg(setup, choice.model, choice.params);
    const seconds = (performance.now() - t0) / 1000;
    const extra = {
      oldEase: old, scaledEase: now, scaledLambda: Number(scaled.lambda), chosen: choice.model, params: JSON.stringify(choice.params),
      validNdcg10: choice.validMetrics?.['ndcg@10'] ?? NaN, trials: choice.trials ?? 0, perModel: (choice.models ?? []).map((s) => `${s.model} ${s.trials}`).join(' '),
      chosenBy: choice.chosenBy ?? '', stopped: choice.stopped ?? '', tuneSeconds: choice.seconds ?? NaN, withFinalFitSeconds: seconds, budgetSeconds,
    };
    console.log(dataset, JSON.stringify(extra));
    out.push({ name: 'tune.test-ndcg@10', dataset, metric: 'ndcg@10', value: tuned, unit: 'ratio', extra });
  }
  return out;
}
