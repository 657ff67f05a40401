/**
 * Evidence for data-scaled default params (src/models/scaled-defaults.ts): for each dataset and protocol, one split
 * (seed 42), a sweep of one parameter per model with the rest at their defaults, valid and test NDCG@10 per value, and
 * the training data's shape. The λ that wins on validation is what the EASE rule is fitted to; the `holdout` cases
 * (not used to fit it) check it. Then each case scores the old fixed default, the scaled default and the sweep's
 * validation pick on test. Set SCALED_DEFAULTS_MODELS=ease,als,itemknn to restrict.
 */
import { join } from 'node:path';
import { loadDataset, selectRows, type RatingsTable } from '../src/eval/dataset.js';
import type { FilterOptions } from '../src/eval/filters.js';
import { accuracyMetrics } from '../src/eval/metrics/evaluate.js';
import { rankUsers } from '../src/eval/ranking.js';
import { prepareEvaluation, type EvalSetup } from '../src/eval/setup.js';
import type { ProtocolName } from '../src/eval/protocols.js';
import { silentLogger } from '../src/core/logger.js';
import { dataShape } from '../src/models/data-shape.js';
import { modelDefinition } from '../src/models/registry.js';
import { resolveParams } from '../src/models/scaled-defaults.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { amazonReviews } from './amazon-reviews.js';
import type { BenchResult } from './harness.js';

interface Case { name: string; data: () => Promise<RatingsTable>; protocol: ProtocolName; filters?: FilterOptions; holdout: boolean }

/** Old fixed defaults, before scaling: what a user who never tuned got. */
const OLD_DEFAULTS: Record<string, Record<string, unknown>> = { ease: { lambda: 500 }, als: { regularization: 0.02 }, itemknn: { neighbors: 100 } };
const SWEEPS: Record<string, { param: string; values: number[] }> = {
  ease: { param: 'lambda', values: [15, 30, 60, 100, 150, 220, 330, 500, 750, 1100, 1600, 2400] },
  als: { param: 'regularization', values: [0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1] },
  itemknn: { param: 'neighbors', values: [20, 50, 100, 200, 400] },
};

function cases(): Case[] {
  const out: Case[] = [];
  const ml100k = datasetPath('ml-100k');
  const mlSmall = datasetPath('ml-latest-small');
  const amazon = datasetPath('amazon-musical-instruments-5core');
  if (ml100k) out.push({ name: 'ml-100k', data: () => loadDataset(ml100k), protocol: 'recbole', holdout: false });
  if (mlSmall) out.push({ name: 'ml-latest-small', data: () => loadDataset(mlSmall), protocol: 'recbole', holdout: false });
  if (amazon) out.push({ name: 'amazon-mi', data: async () => amazonReviews(join(amazon, 'Musical_Instruments.json')), protocol: 'ratio', holdout: false });
  if (ml100k) out.push({ name: 'ml-100k', data: () => loadDataset(ml100k), protocol: 'recbole-quickstart', holdout: true });
  // a smaller ml-100k (every other user) and its 4-5 star ratings only: other shapes than the three fitted on
  const halfUsers = (t: RatingsTable) => selectRows(t, Uint8Array.from(t.user, (u) => (u % 2 === 0 ? 1 : 0)));
  if (ml100k) out.push({ name: 'ml-100k half the users', data: async () => halfUsers(await loadDataset(ml100k)), protocol: 'recbole', holdout: true });
  if (ml100k) out.push({ name: 'ml-100k ratings ≥ 4', data: () => loadDataset(ml100k), protocol: 'ratio', filters: { minRating: 4 }, holdout: true });
  return out;
}

async function score(setup: EvalSetup, model: string, raw: Record<string, unknown>): Promise<{ valid: number; test: number }> {
  const def = modelDefinition(model);
  const m = def.create(def.parseParams(raw));
  const now = setup.trainEndMs;
  await m.fit(setup.train, { logger: silentLogger, clock: { now: () => now }, seed: 42 });
  const valid = await rankUsers(m, { users: setup.validUsers, k: 10, exclude: setup.validMask });
  const test = await rankUsers(m, { users: setup.testUsers, k: 10, exclude: setup.testMask });
  return {
    valid: accuracyMetrics({ users: setup.validUsers, lists: valid, truth: setup.valid.matrix }, [10])['ndcg@10'],
    test: accuracyMetrics({ users: setup.testUsers, lists: test, truth: setup.test.matrix }, [10])['ndcg@10'],
  };
}

export async function run(): Promise<BenchResult[]> {
  const models = (process.env.SCALED_DEFAULTS_MODELS ?? 'ease,als,itemknn').split(',');
  const out: BenchResult[] = [];
  for (const c of cases()) {
    const setup = prepareEvaluation({ data: await c.data(), protocol: c.protocol, filters: c.filters, seed: 42 });
    const shape = dataShape(setup.train.matrix);
    const dataset = `${c.name} ${c.protocol}${c.holdout ? ' (holdout)' : ''}`;
    console.log(dataset, JSON.stringify(shape));
    for (const model of models) {
      const sweep = SWEEPS[model];
      let best = { value: NaN, valid: -1, test: NaN };
      for (const value of sweep.values) {
        const s = await score(setup, model, { [sweep.param]: value });
        console.log(`  ${model} ${sweep.param}=${value} valid ${s.valid.toFixed(4)} test ${s.test.toFixed(4)}`);
        if (s.valid > best.valid) best = { value, ...s };
      }
      const scaled = resolveParams(modelDefinition(model), {}, shape).params;
      const old = await score(setup, model, OLD_DEFAULTS[model]);
      const now = await score(setup, model, scaled);
      const extra = { param: sweep.param, bestValue: best.value, bestValid: best.valid, scaledValue: Number(scaled[sweep.param]), oldTest: old.test, scaledTest: now.test, scaledValid: now.valid, oldValid: old.valid, interactionItemCount: shape.interactionItemCount, holdout: c.holdout };
      console.log(`  ${model}: ${JSON.stringify(extra)}`);
      out.push({ name: `scaled-defaults.${model}`, dataset, metric: 'test-ndcg@10 of valid pick', value: best.test, unit: 'ratio', extra });
    }
  }
  return out;
}
