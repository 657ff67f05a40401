import { describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Model } from '../models/model.js';
import { hasBlockScoring } from '../models/model.js';
import { modelDefinition } from '../models/registry.js';
import { resolveParams } from '../models/scaled-defaults.js';
import { dataShape } from '../models/data-shape.js';
import { testDataset } from '../testkit/datasets.js';
import { loadDataset } from './dataset.js';
import { rankUsers } from './ranking.js';
import { runEvaluation } from './runner.js';
import { prepareEvaluation, type EvalSetup } from './setup.js';

const ml100k = testDataset('ml-100k');
/** Models whose block rows equal recommend()'s scores bit for bit. */
const EXACT = ['popular', 'itemknn', 'ease'];
/** Block sums in float32 against the per-user path's float64 (factor models' SIMD dot products, sparse EASE's X·B), so near-ties may swap. */
const FACTOR = ['als', 'bpr', 'sparse-ease'];
const FACTOR_PARAMS: Record<string, Record<string, unknown>> = { als: { iterations: 5 }, bpr: { iterations: 10 } };

async function setupAndFit(name: string, params: Record<string, unknown> = {}): Promise<{ setup: EvalSetup; model: Model<object> }> {
  const data = await loadDataset(ml100k ?? '');
  const setup = prepareEvaluation({ data, protocol: 'recbole', seed: 42 });
  const def = modelDefinition(name);
  const model = def.create(resolveParams(def, params, dataShape(setup.train.matrix)).params);
  await model.fit(setup.train, { logger: silentLogger, clock: systemClock, seed: 7 });
  return { setup, model };
}

function rank(model: Model<object>, setup: EvalSetup, blockScoring: boolean, extra: Record<string, number> = {}): Promise<Int32Array[]> {
  return rankUsers(model, { users: setup.testUsers, k: 20, exclude: setup.testMask, blockScoring, threads: 1, ...extra });
}

/** Positions where two lists differ must hold near-equal scores (the per-user path's float64 scores). */
function expectSameUpToTies(model: Model<object>, setup: EvalSetup, perUser: Int32Array[], blocks: Int32Array[]): void {
  let differing = 0;
  setup.testUsers.forEach((user, p) => {
    if (perUser[p].join() === blocks[p].join()) return;
    differing++;
    const all = new Map(model.recommend({ user, k: 1e9 }).map((s) => [s.index, s.score]));
    expect(blocks[p].length).toBe(perUser[p].length);
    perUser[p].forEach((item, r) => {
      const other = blocks[p][r];
      if (item !== other) expect(Math.abs((all.get(item) ?? 0) - (all.get(other) ?? 0)), `user ${user} rank ${r}`).toBeLessThan(1e-4);
    });
  });
  expect(differing).toBeLessThan(setup.testUsers.length * 0.02);
}

describe.skipIf(!ml100k)('full ranking by blocks on MovieLens 100K', () => {
  it.each(EXACT)('%s: block lists are the per-user lists exactly', async (name) => {
    const { setup, model } = await setupAndFit(name);
    expect(hasBlockScoring(model)).toBe(true);
    const perUser = await rank(model, setup, false);
    // a small budget gives several blocks, including a short last one
    const blocks = await rank(model, setup, true, { blockBytes: 100 * 4 * setup.catalogue.nItems });
    expect(blocks).toEqual(perUser);
  });

  it.each(FACTOR)('%s: block lists are the per-user lists, ties aside', async (name) => {
    const { setup, model } = await setupAndFit(name, FACTOR_PARAMS[name]);
    const perUser = await rank(model, setup, false);
    const blocks = await rank(model, setup, true, { blockBytes: 99 * 4 * setup.catalogue.nItems });
    expectSameUpToTies(model, setup, perUser, blocks);
  });

  it.each(['itemknn', 'als'])('%s: worker threads write the same lists as the calling thread', async (name) => {
    const { setup, model } = await setupAndFit(name, FACTOR_PARAMS[name]);
    const local = await rank(model, setup, true);
    const progress: number[] = [];
    const parallel = await rankUsers(model, {
      users: setup.testUsers, k: 20, exclude: setup.testMask, threads: 2, minParallelScores: 0, blockBytes: 128 * 4 * setup.catalogue.nItems,
      onProgress: (done) => progress.push(done),
    });
    expect(parallel).toEqual(local);
    expect(progress.length).toBe(Math.ceil(setup.testUsers.length / 128));
    expect(progress[progress.length - 1]).toBe(setup.testUsers.length);
  });

  it('a cancelled signal stops worker ranking', async () => {
    const { setup, model } = await setupAndFit('popular');
    const signal = AbortSignal.abort();
    await expect(rankUsers(model, { users: setup.testUsers, k: 20, exclude: setup.testMask, threads: 2, minParallelScores: 0, blockBytes: 4096, signal }))
      .rejects.toThrow(/cancelled/);
  });

  it('evaluation reports the same numbers by blocks as per user, for every model that scores blocks', async () => {
    const data = await loadDataset(ml100k ?? '');
    const models = [...EXACT, ...FACTOR].map((name) => ({ name, params: FACTOR_PARAMS[name] ?? {} }));
    const opts = { data, protocol: 'recbole' as const, models, ks: [10, 20], seed: 42, threads: 1 };
    const blocks = await runEvaluation(opts);
    const perUser = await runEvaluation({ ...opts, blockScoring: false });
    blocks.results.forEach((res, m) => {
      const other = perUser.results[m];
      for (const [metric, value] of Object.entries(other.metrics)) {
        // exact models: identical lists, identical numbers; factor models: a swapped near-tie moves a metric by < 1e-3
        if (EXACT.includes(res.model)) expect(res.metrics[metric], `${res.model} ${metric}`).toBe(value);
        else expect(Math.abs(res.metrics[metric] - value), `${res.model} ${metric}`).toBeLessThan(1e-3);
      }
      for (const [metric, value] of Object.entries(other.validMetrics)) {
        if (EXACT.includes(res.model)) expect(res.validMetrics[metric], `${res.model} valid ${metric}`).toBe(value);
      }
    });
  });
});
