import { resolveConfig, type KindredConfig } from '../config/config.js';
import type { FuseStageName } from '../config/pipeline-section.js';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { EngineError } from '../core/errors.js';
import type { InteractionMatrix } from '../core/interactions.js';
import type { SparseRow } from '../core/sparse.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { fitSupportModels } from '../jobs/support-models.js';
import type { Model } from '../models/model.js';
import { createModel } from '../models/registry.js';
import { learnFusionRanker, type LearningUser } from '../pipeline/fusion/learn.js';
import { offlineContext } from '../pipeline/fusion/offline-context.js';
import { runPipeline } from '../pipeline/pipeline.js';
import { stagesFromConfig } from '../pipeline/registry.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { accuracyMetrics, beyondAccuracyMetrics, longTailCurve } from './metrics/evaluate.js';
import { exposureCounts } from './metrics/exposure.js';
import type { CareCurve, ModelResult } from './result.js';
import { CARE_SWEEP_STRENGTHS, CARE_SWEEPS, careSweepConfig } from './care-curves.js';
import { carePresetConfig, type CarePreset } from '../care/presets.js';
import { historyRow } from './matrix.js';
import type { EvalSetup } from './setup.js';

/** A model the runner evaluated: fitted on train (what validation saw) and as scored on test (train + valid with refit). */
export interface EvaluatedModel {
  trained: Model<object>;
  tested: Model<object>;
  /** Validation NDCG at the main K (picks the main channel). */
  validScore: number;
}

export interface PipelineEvalOptions {
  /** Fusion stages to score, one result each: 'learned' is named `pipeline`, the others `pipeline:<fuse>`. */
  fusions: FuseStageName[];
  ks: number[];
  mainK: number;
  /** Groups of the long-tail curve (as the single models' results). */
  longTailBins: number;
  /** The config whose pipeline is evaluated (recall channels, re-rank stages, interests); default: the defaults. */
  config?: KindredConfig;
  clock?: Clock;
  signal?: AbortSignal;
  /**
   * Score each test user as if they had only their newest `historyLength` training items (a new user's view of the
   * same test items): what care does to short histories (bench/care.bench.ts). Default: the whole history.
   */
  historyLength?: number;
  /** Care presets to score besides the configured path, one result each: `pipeline+care:<preset>` (src/care/presets.ts). */
  care?: CarePreset[];
  /** Also sweep each care stage's strength alone (care-curves.ts) for the report's trade-off curves. */
  careCurves?: boolean;
}

/** The pipeline results, and the care trade-off curves when asked for. */
export interface PipelineEvaluation {
  results: ModelResult[];
  careCurves?: CareCurve[];
}

/** Re-rank stages that act offline: not the user's stored interest settings, not an LLM. */
const OFFLINE_RERANK = new Set(['short-term-slot', 'diversity', 'calibration', 'long-tail']);

/**
 * The pipeline in evaluation is the configured recommend path (`base`, the defaults unless given): its recall channels
 * (those that need item text, a query or new items find nothing to do here), no deadlines (the machine's load must
 * not change a score), its re-rank stages that act offline (the short-term slot) and its `interests` settings;
 * filters off.
 */
function evalConfig(fuse: FuseStageName, base: KindredConfig): KindredConfig {
  const recall = Object.fromEntries(Object.entries(base.pipeline.recall).map(([name, budget]) => [name, { ...budget, deadlineMs: 60_000 }]));
  const rerank = base.pipeline.rerank.filter((name) => OFFLINE_RERANK.has(name));
  return resolveConfig({ pipeline: { recall, fuse, rerank, cacheLists: false }, interests: base.interests, care: base.care, train: { channels: base.train.channels } });
}

/** The newest `n` items of a row kept in time order (all of them when n is undefined). */
function newest(row: SparseRow, n: number | undefined): SparseRow {
  if (n === undefined || row.indices.length <= n) return row;
  return { indices: row.indices.slice(-n), values: row.values.slice(-n) };
}

/**
 * The bundle the pipeline runs on: the best model on validation as main, every other collaborative model as a
 * channel, and the support models training fits beside them (similar items, next-item), fitted on the same data.
 */
async function bundleOf(
  setup: EvalSetup, models: Map<string, Model<object>>, mainName: string, popular: Model<object>, data: InteractionMatrix, endMs: number, config: KindredConfig,
): Promise<ModelBundle> {
  const main = models.get(mainName);
  if (!main) throw new EngineError('INVALID_INPUT', `no model ${mainName} to run the pipeline on`);
  const channels = Object.fromEntries([...models].filter(([name]) => name !== mainName && name !== 'popular'));
  const support = await fitSupportModels(data, config, main, { logger: silentLogger, clock: { now: () => endMs } });
  return {
    version: 0, trainedAt: new Date(endMs).toISOString(), users: setup.table.users, items: setup.table.items,
    trainedItems: setup.table.items.size, models: { ...support, main, popular }, channels,
  };
}

async function popularModel(evaluated: Map<string, EvaluatedModel>, data: InteractionMatrix, which: 'trained' | 'tested', endMs: number): Promise<Model<object>> {
  const own = evaluated.get('popular');
  if (own) return own[which];
  const model = createModel('popular', {});
  await model.fit(data, { logger: silentLogger, clock: { now: () => endMs } });
  return model;
}

/**
 * Scores the whole recommend path as one more result (issue 9 §7): the evaluated models become the pipeline's channels
 * (the best on validation is the main cf channel, the others the ensemble channel, plus popularity and the default
 * item-to-item and next-item channels), the learned
 * ranker is fitted on the validation part only (channels fitted on train, labels = valid items), and each test user's
 * list comes from the real stage runner (recall → merge → filter → fuse → the configured re-rank stages that act
 * offline: short-term slot and the care stages → explain; filters off) with the same masks and metrics as the single
 * models. Each result carries the share of test items each channel recalled. With `care`, each preset adds a result
 * scored with the same learned ranker; with `careCurves`, each care stage's strength is swept alone.
 *
 * @example const { results } = await evaluatePipeline(setup, evaluated, { fusions: ['learned', 'rrf'], ks: [10], mainK: 10, longTailBins: 20 })
 */
export async function evaluatePipeline(setup: EvalSetup, evaluated: Map<string, EvaluatedModel>, opts: PipelineEvalOptions): Promise<PipelineEvaluation> {
  if (setup.candidates) throw new EngineError('INVALID_INPUT', '--pipeline scores full ranking only; drop --sampled', { path: 'pipeline' });
  const collaborative = [...evaluated].filter(([name]) => name !== 'popular');
  if (collaborative.length === 0) throw new EngineError('INVALID_INPUT', '--pipeline needs at least one collaborative model in --models', { path: 'pipeline' });
  const mainName = collaborative.reduce((best, cur) => (cur[1].validScore > best[1].validScore ? cur : best))[0];
  const clock = opts.clock ?? systemClock;
  const store = new MemoryStore({ clock });
  // Categories for the care stages (diversity by categories, caps, calibration), as the catalogue has them.
  const categories = setup.catalogue.categories;
  await store.upsertItems(setup.table.items.ids().map((id, i) => (categories?.[i]?.length ? { id, categories: [...categories[i]] } : { id })));
  const maxK = opts.ks[opts.ks.length - 1];
  const byName = (which: 'trained' | 'tested') => new Map(collaborative.map(([name, m]) => [name, m[which]]));
  const base = opts.config ?? resolveConfig();
  const learnBundle = await bundleOf(setup, byName('trained'), mainName, await popularModel(evaluated, setup.train, 'trained', setup.trainEndMs), setup.train, setup.trainEndMs, base);
  const testBundle = await bundleOf(setup, byName('tested'), mainName, await popularModel(evaluated, setup.testTrain, 'tested', setup.testTrainEndMs), setup.testTrain, setup.testTrainEndMs, base);
  const out: ModelResult[] = [];
  let careCurves: CareCurve[] | undefined;
  for (const fuse of opts.fusions) {
    const config = evalConfig(fuse, base);
    const stages = stagesFromConfig(config.pipeline);
    const t0 = clock.now();
    if (fuse === 'learned') {
      const users: LearningUser[] = Array.from(setup.validUsers, (u) => ({ row: historyRow(setup.train, u), exclude: setup.validMask(u), heldOut: setup.valid.matrix.rowIndices(u) }));
      testBundle.fusion = await learnFusionRanker(stages, users, { bundle: learnBundle, config, store, clock }, { count: maxK });
    }
    const fitSeconds = (clock.now() - t0) / 1000;
    const name = fuse === 'learned' ? 'pipeline' : `pipeline:${fuse}`;
    const ranker = testBundle.fusion;
    const params = {
      fuse, main: mainName, channels: Object.keys(testBundle.channels ?? {}),
      ...(fuse === 'learned' && ranker ? { ranker: Object.fromEntries(ranker.features.map((f, i) => [f, Number(ranker.weights[i].toFixed(4))])) } : {}),
    };
    // One fused ranker, scored with each care variant: the re-rank stages do not change what fusion learned.
    const score = (variant: KindredConfig) => scoreTestUsers(setup, testBundle, evalConfig(fuse, variant), store, clock, opts);
    out.push({ model: name, params, fitSeconds, ...(await score(base)) });
    for (const preset of opts.care ?? []) out.push({ model: `${name}+care:${preset}`, params: { ...params, care: preset }, fitSeconds, ...(await score(carePresetConfig(preset, base))) });
    if (opts.careCurves && careCurves === undefined) {
      careCurves = [];
      for (const sweep of CARE_SWEEPS) {
        const points = [];
        for (const strength of CARE_SWEEP_STRENGTHS) points.push({ strength, metrics: (await score(careSweepConfig(base, sweep, strength))).metrics });
        careCurves.push({ stage: sweep.stage, key: `care.${sweep.key}`, points });
      }
    }
    if (fuse === 'learned') delete testBundle.fusion;
  }
  return { results: out, ...(careCurves ? { careCurves } : {}) };
}

/** What scoring the test users with one config gives: a result's metrics, timing, channel recall and long-tail curve. */
async function scoreTestUsers(
  setup: EvalSetup, bundle: ModelBundle, config: KindredConfig, store: MemoryStore, clock: Clock, opts: PipelineEvalOptions,
): Promise<Pick<ModelResult, 'scoreSeconds' | 'metrics' | 'validMetrics' | 'channelRecall' | 'longTail'>> {
  const stages = stagesFromConfig(config.pipeline);
  const maxK = opts.ks[opts.ks.length - 1];
  const t1 = clock.now();
  const lists: Int32Array[] = [];
  const recalled = new Map<string, number>();
  let relevant = 0;
  for (const u of setup.testUsers) {
    if (opts.signal?.aborted) throw new EngineError('CANCELLED', 'evaluation cancelled');
    const ctx = offlineContext({ row: newest(historyRow(setup.testHistory ?? setup.testTrain, u), opts.historyLength), exclude: setup.testMask(u) }, maxK, { bundle, config, store, clock });
    const run = await runPipeline(stages, ctx);
    lists.push(Int32Array.from(run.items, (r) => setup.table.items.indexOf(r.itemId) ?? -1));
    const truth = new Set(Array.from(setup.test.matrix.rowIndices(u), (i) => setup.table.items.idAt(i)));
    relevant += truth.size;
    for (const c of run.recalled ?? run.ranked) {
      if (!truth.has(c.itemId)) continue;
      for (const ch of ['any', ...Object.keys(c.scores)]) recalled.set(ch, (recalled.get(ch) ?? 0) + 1);
    }
  }
  const scored = { users: setup.testUsers, lists, truth: setup.test.matrix };
  return {
    scoreSeconds: (clock.now() - t1) / 1000,
    metrics: { ...accuracyMetrics(scored, opts.ks), ...beyondAccuracyMetrics(scored, setup.catalogue, opts.ks) },
    // The ranker learned on validation, so a validation score would be in-sample: none is reported.
    validMetrics: {},
    channelRecall: Object.fromEntries([...recalled].sort().map(([ch, n]) => [ch, relevant > 0 ? n / relevant : 0])),
    longTail: longTailCurve(setup.catalogue.itemUsers, exposureCounts(lists, setup.catalogue.nItems, opts.mainK), opts.longTailBins),
  };
}
