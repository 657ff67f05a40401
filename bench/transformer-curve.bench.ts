/**
 * Transformer learning curve (issue 14): one fit on a dataset's leave-last-one-out training data (KINDRED_DATA_DIR),
 * scoring NDCG@10 on valid and test (full ranking, train items masked; train + valid for test, which reads the valid item) every few epochs, as
 * `kindred eval --protocol loo` scores a model. TRANSFORMER_CURVE_DATASET (default ml-100k), TRANSFORMER_CURVE_SEED
 * (1), TRANSFORMER_CURVE_EPOCHS (40), TRANSFORMER_CURVE_EVERY (5) and TRANSFORMER_CURVE_PARAMS (JSON, over the
 * model's defaults, early stopping included: with `patience` above 0 it prints the held-out loss every epoch, stops
 * as a fit does and scores the kept epoch at the end) choose the run; TRANSFORMER_CURVE_THREADS the worker threads (default: every core); each scoring
 * also reports the process's CPU-seconds so far. With TRANSFORMER_CURVE_DATA=synthetic-ml1m it trains on the
 * synthetic ML-1M-sized log of transformer-speed instead and records every epoch's training loss with the CPU and
 * wall seconds so far, and the held-out loss early stopping watches (it stops as a fit does: that is convergence). Slow (minutes to an
 * hour): run it by name. Results: docs/benchmarks.md.
 */
import type { InteractionMatrix } from '../src/core/interactions.js';
import { loadDataset } from '../src/eval/dataset.js';
import { historyRow } from '../src/eval/matrix.js';
import { prepareEvaluation, type EvalSetup } from '../src/eval/setup.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import { sequencesOf } from '../src/models/sequential/transitions.js';
import { initialParameters } from '../src/models/transformer/parameters.js';
import { trainNetwork } from '../src/models/transformer/train.js';
import { masksSeen, TransformerModel, transformerDefinition, type TransformerParams } from '../src/models/transformer/transformer.js';
import { threadCount } from '../src/models/workers/pool.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { syntheticInteractions } from './ease.bench.js';
import type { BenchResult } from './harness.js';

function ndcgAt10(
  model: TransformerModel, users: Int32Array, truth: (u: number) => Int32Array, mask: (u: number) => Int32Array, history?: InteractionMatrix,
): number {
  let sum = 0;
  for (const u of users) {
    const relevant = new Set(truth(u));
    model.recommend({ user: history ? historyRow(history, u) : u, k: 10, exclude: mask(u) }).forEach((s, rank) => { if (relevant.has(s.index)) sum += 1 / Math.log2(rank + 2); });
  }
  return sum / users.length;
}

/** A model over weights that training keeps updating, and the training users' latest items. */
function liveModel(setup: EvalSetup, params: ReturnType<typeof transformerDefinition.parseParams>, seed: number) {
  const sequences = sequencesOf(setup.train);
  const shape = { items: setup.train.matrix.cols, width: params.width, heads: params.heads, blocks: params.blocks, maxLength: params.maxLength, hidden: params.width };
  const weights = initialParameters(shape, mulberry32(seed));
  const recentPtr = new Int32Array(sequences.length + 1);
  sequences.forEach((s, u) => (recentPtr[u + 1] = recentPtr[u] + Math.min(s.length, params.maxLength)));
  const recentItems = new Int32Array(recentPtr[sequences.length]);
  sequences.forEach((s, u) => recentItems.set(s.subarray(Math.max(0, s.length - params.maxLength)), recentPtr[u]));
  return { sequences, shape, weights, model: new TransformerModel(params, { shape, weights, recentPtr, recentItems }) };
}

const threads = (): number => threadCount(process.env.TRANSFORMER_CURVE_THREADS ? Number(process.env.TRANSFORMER_CURVE_THREADS) : undefined);

async function syntheticCurve(params: TransformerParams, epochs: number): Promise<BenchResult[]> {
  const sequences = sequencesOf(syntheticInteractions(6040, 3706, 1_000_000));
  const shape = { items: 3706, width: params.width, heads: params.heads, blocks: params.blocks, maxLength: params.maxLength, hidden: params.width };
  const out: BenchResult[] = [];
  const control = { check: () => undefined, step: async () => undefined, report: async () => undefined, finish: () => undefined };
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await trainNetwork(initialParameters(shape, mulberry32(1)), shape, sequences, { ...params, maskSeen: masksSeen(params, sequences), epochs, seed: 1, threads: threads(),
    afterEpoch: (epoch, loss, heldOut) => {
      const cpu = process.cpuUsage(c0);
      const extra = { cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9, ...(heldOut === undefined ? {} : { heldOut }) };
      out.push({ name: `transformer.curve.synthetic-ml1m.epoch-${epoch}`, dataset: 'synthetic-ml1m', metric: 'training loss', value: loss, unit: '', extra });
      // progress for a run of many minutes (results print only at the end)
      process.stderr.write(`epoch ${epoch} loss ${loss.toFixed(4)}${heldOut === undefined ? '' : ` held-out ${heldOut.toFixed(4)}`} cpu ${extra.cpuSeconds.toFixed(0)} s wall ${extra.wallSeconds.toFixed(0)} s\n`);
    } }, control);
  return out;
}

export async function run(): Promise<BenchResult[]> {
  if (process.env.TRANSFORMER_CURVE_DATA === 'synthetic-ml1m') {
    const params = transformerDefinition.parseParams(JSON.parse(process.env.TRANSFORMER_CURVE_PARAMS ?? '{}') as Record<string, unknown>);
    return syntheticCurve(params, Number(process.env.TRANSFORMER_CURVE_EPOCHS ?? 10));
  }
  const dataset = process.env.TRANSFORMER_CURVE_DATASET ?? 'ml-100k';
  const seed = Number(process.env.TRANSFORMER_CURVE_SEED ?? 1);
  const every = Number(process.env.TRANSFORMER_CURVE_EVERY ?? 5);
  const dir = datasetPath(dataset);
  if (!dir) return [];
  const setup = prepareEvaluation({ data: await loadDataset(dir), protocol: 'loo', seed });
  const params = transformerDefinition.parseParams(JSON.parse(process.env.TRANSFORMER_CURVE_PARAMS ?? '{}') as Record<string, unknown>);
  const epochs = Number(process.env.TRANSFORMER_CURVE_EPOCHS ?? 40);
  const { sequences, shape, weights, model } = liveModel(setup, params, seed);
  const cpu0 = process.cpuUsage();
  const out: BenchResult[] = [];
  const control = { check: () => undefined, step: async () => undefined, report: async () => undefined, finish: () => undefined };
  const report = await trainNetwork(weights, shape, sequences, { ...params, maskSeen: masksSeen(params, sequences), epochs, seed, threads: threads(),
    afterEpoch: (epoch, loss, heldOut) => {
      if (heldOut !== undefined) console.log(`epoch ${epoch} held-out loss ${heldOut.toFixed(4)}`);
      if (epoch % every !== 0) return;
      const used = process.cpuUsage(cpu0);
      const cpuSeconds = (used.user + used.system) / 1e6;
      const valid = ndcgAt10(model, setup.validUsers, (u) => setup.valid.matrix.rowIndices(u), setup.validMask);
      const test = ndcgAt10(model, setup.testUsers, (u) => setup.test.matrix.rowIndices(u), setup.testMask, setup.testHistory);
      out.push({ name: `transformer.curve.epoch-${epoch}`, dataset, metric: 'test ndcg@10', value: test, unit: '', extra: { valid, loss, cpuSeconds, seed } });
      console.log(`epoch ${epoch} loss ${loss.toFixed(4)} valid ${valid.toFixed(4)} test ${test.toFixed(4)} cpu-s ${cpuSeconds.toFixed(0)}`);
    } }, control);
  if (report.heldOutLosses.length > 0) {
    // early stopping kept the best epoch's weights: score them too
    const valid = ndcgAt10(model, setup.validUsers, (u) => setup.valid.matrix.rowIndices(u), setup.validMask);
    const test = ndcgAt10(model, setup.testUsers, (u) => setup.test.matrix.rowIndices(u), setup.testMask, setup.testHistory);
    out.push({ name: 'transformer.curve.kept', dataset, metric: 'test ndcg@10', value: test, unit: '', extra: { valid, bestEpoch: report.bestEpoch, epochsRun: report.losses.length, seed } });
    console.log(`kept epoch ${report.bestEpoch} of ${report.losses.length}: valid ${valid.toFixed(4)} test ${test.toFixed(4)}`);
  }
  return out;
}
