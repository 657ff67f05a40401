import { systemClock, type Clock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { ModelDefinition } from '../models/definition.js';
import type { Model } from '../models/model.js';
import { dataShape } from '../models/data-shape.js';
import { canonicalModelName, modelDefinition } from '../models/registry.js';
import { resolveParams, searchSpaceFor } from '../models/scaled-defaults.js';
import { ACCURACY_METRICS, accuracyMetrics, beyondAccuracyMetrics, longTailCurve } from './metrics/evaluate.js';
import { exposureCounts } from './metrics/exposure.js';
import { historyRow } from './matrix.js';
import { rankUsers } from './ranking.js';
import { deriveSeed } from './random.js';
import type { EvalResult, ModelResult, SearchSummary, SearchTrial } from './result.js';
import { evaluatePipeline, type EvaluatedModel } from './pipeline-eval.js';
import type { CarePreset } from '../care/presets.js';
import { searchTrials, type SearchMethod } from './search.js';
import type { KindredConfig } from '../config/config.js';
import type { FuseStageName } from '../config/pipeline-section.js';
import { prepareEvaluation, type EvalSetup, type SetupOptions } from './setup.js';

export interface ModelSpec {
  name: string;
  params?: Record<string, unknown>;
  /** Name of the result row when one model runs several times (e.g. "itemknn@ε=1"); default the model's name. */
  label?: string;
}

export interface SearchOptions {
  method: SearchMethod;
  trials: number;
  /** Validation metric that picks the configuration; default "ndcg@10". */
  metric?: string;
}

export interface EvalProgress {
  model: string;
  phase: 'fit' | 'valid' | 'test';
  /** 1-based search trial (absent for the final fit). */
  trial?: number;
  trials?: number;
  done: number;
  total: number;
}

/** Where the runner finds algorithms; the default is the model registry. Tests may pass their own. */
export interface ModelCatalog {
  definition(name: string): ModelDefinition<object>;
}

export interface EvalOptions extends SetupOptions {
  models: ModelSpec[];
  ks: number[];
  search?: SearchOptions;
  /** Worker threads models may use while fitting, and full ranking may use to score blocks of users. */
  threads?: number;
  /** Full ranking by blocks of users for models that can (default true); false ranks per user with recommend(). */
  blockScoring?: boolean;
  onProgress?: (p: EvalProgress) => void;
  catalog?: ModelCatalog;
  /**
   * Also score the whole recommend path over the evaluated models (pipeline-eval.ts), once per fusion stage named
   * here: 'learned' adds the `pipeline` result, others `pipeline:<name>`.
   */
  pipeline?: FuseStageName[];
  /** The config whose recommend path `pipeline` scores (channels, re-rank stages, interests); default: the defaults. */
  pipelineConfig?: KindredConfig;
  /** With `pipeline`: care presets scored besides it, one result each, `pipeline+care:<preset>`. */
  care?: CarePreset[];
  /** With `pipeline`: sweep each care stage's strength for the report's trade-off curves (EvalResult.careCurves). */
  careCurves?: boolean;
  logger?: Logger;
  clock?: Clock;
  signal?: AbortSignal;
}

/** Groups of the training popularity long-tail curves. */
const LONG_TAIL_BINS = 20;

const registryCatalog: ModelCatalog = { definition: modelDefinition };

interface Fitted {
  model: Model<object>;
  params: Record<string, unknown>;
  fitSeconds: number;
}

/**
 * Runs an offline evaluation: filter + split per protocol, then for each model (optionally tuned by random or grid
 * search on validation, RecBole style: fit on train, pick on valid) fit on train and report test metrics with
 * train + valid masked (with `refit`, the chosen configuration is fitted again on train + valid before test). The test
 * part is only touched after the configuration is chosen.
 *
 * @example
 * const res = await runEvaluation({ data, protocol: 'recbole', models: [{ name: 'ease' }], ks: [10, 20], seed: 42 });
 * res.results[0].metrics['ndcg@10']
 */
export async function runEvaluation(opts: EvalOptions): Promise<EvalResult> {
  const ks = [...new Set(opts.ks)].sort((a, b) => a - b);
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new EngineError('INVALID_INPUT', 'ks must be positive integers', { path: 'ks' });
  }
  if (opts.models.length === 0) throw new EngineError('INVALID_INPUT', 'no models to evaluate', { path: 'models' });
  if (opts.search) metricK(opts.search.metric ?? 'ndcg@10');
  const catalog = opts.catalog ?? registryCatalog;
  const logger = opts.logger ?? silentLogger;
  // Resolve every model name before the (slow) data preparation so a typo fails fast.
  const defs = opts.models.map((m) => catalog.definition(canonicalModelName(m.name)));
  const setup = prepareEvaluation(opts);
  logger.info('eval split ready', { protocol: opts.protocol, users: setup.summary.users, items: setup.summary.items, train: setup.summary.train });
  const mainK = ks.includes(10) ? 10 : ks[ks.length - 1];
  const results: ModelResult[] = [];
  const evaluated = new Map<string, EvaluatedModel>();
  let careCurves: EvalResult['careCurves'];
  for (let m = 0; m < opts.models.length; m++) {
    const { result, trained, tested } = await evaluateModel(defs[m], opts.models[m].params ?? {}, setup, { ...opts, ks }, mainK);
    const label = opts.models[m].label;
    if (label) result.model = label;
    results.push(result);
    if (opts.pipeline) evaluated.set(result.model, { trained, tested, validScore: result.validMetrics[`ndcg@${mainK}`] ?? 0 });
  }
  if (opts.pipeline && opts.pipeline.length > 0) {
    const piped = await evaluatePipeline(setup, evaluated, {
      fusions: opts.pipeline, ks, mainK, longTailBins: LONG_TAIL_BINS, config: opts.pipelineConfig, clock: opts.clock, signal: opts.signal, care: opts.care, careCurves: opts.careCurves,
    });
    results.push(...piped.results);
    careCurves = piped.careCurves;
  }
  const trainCurve = longTailCurve(setup.catalogue.itemUsers, setup.catalogue.itemUsers, LONG_TAIL_BINS);
  return {
    dataset: opts.data.name,
    protocol: opts.protocol,
    split: setup.summary,
    ranking: setup.ranking,
    ks,
    mainK,
    results,
    longTail: { bins: LONG_TAIL_BINS, train: trainCurve },
    ...(careCurves ? { careCurves } : {}),
  };
}

/** Fits on train, or with `forTest` on what test scoring uses (train + valid under `refit`). */
async function fitModel(
  def: ModelDefinition<object>,
  raw: Record<string, unknown>,
  setup: EvalSetup,
  opts: EvalOptions,
  trial?: { n: number; of: number },
  forTest = false,
): Promise<Fitted> {
  const data = forTest ? setup.testTrain : setup.train;
  // Params left unset take the model's data-scaled defaults, as `kindred train` does (explicit and searched ones win).
  const params = resolveParams(def, raw, dataShape(data.matrix)).params;
  const model = def.create(params);
  const clock = opts.clock ?? systemClock;
  const t0 = clock.now();
  const endMs = forTest ? setup.testTrainEndMs : setup.trainEndMs;
  await model.fit(data, {
    logger: opts.logger ?? silentLogger,
    // Offline, "now" is the end of the training period: time-decayed models must not see the wall clock of today.
    clock: { now: () => endMs + (clock.now() - t0) },
    signal: opts.signal,
    threads: opts.threads,
    seed: deriveSeed(opts.seed, def.name),
    content: setup.content,
    // every protocol ranks each user's items outside what they had in training
    excludesConsumed: true,
    onProgress: (done, total) => opts.onProgress?.({ model: def.name, phase: 'fit', trial: trial?.n, trials: trial?.of, done, total }),
  });
  return { model, params: { ...(params as Record<string, unknown>) }, fitSeconds: (clock.now() - t0) / 1000 };
}

async function validationMetrics(fitted: Fitted, setup: EvalSetup, opts: EvalOptions, k: number, trial?: { n: number; of: number }): Promise<Record<string, number>> {
  const lists = await rankUsers(fitted.model, {
    users: setup.validUsers,
    k,
    exclude: setup.validMask,
    candidates: setup.candidates?.valid,
    threads: opts.threads,
    blockScoring: opts.blockScoring,
    signal: opts.signal,
    onProgress: (done, total) => opts.onProgress?.({ model: fitted.model.name, phase: 'valid', trial: trial?.n, trials: trial?.of, done, total }),
  });
  return accuracyMetrics({ users: setup.validUsers, lists, truth: setup.valid.matrix }, opts.ks);
}

/** The K of a selection metric such as "ndcg@10"; only accuracy metrics can pick a configuration. */
function metricK(metric: string): number {
  const [family, rawK] = metric.split('@');
  const k = Number(rawK);
  if (!(ACCURACY_METRICS as readonly string[]).includes(family) || !Number.isInteger(k) || k < 1) {
    throw new EngineError('INVALID_INPUT', `search metric must be one of ${ACCURACY_METRICS.join(', ')} at a K, e.g. "ndcg@10"; got "${metric}"`, { path: 'search.metric' });
  }
  return k;
}

/** Search (when asked) on validation, then fit the chosen params on train and score valid and test. */
async function evaluateModel(
  def: ModelDefinition<object>, fixed: Record<string, unknown>, setup: EvalSetup, opts: EvalOptions, mainK: number,
): Promise<{ result: ModelResult; trained: Model<object>; tested: Model<object> }> {
  const maxK = opts.ks[opts.ks.length - 1];
  const logger = opts.logger ?? silentLogger;
  let chosen = fixed;
  let search: SearchSummary | undefined;
  if (opts.search && opts.search.trials > 1) {
    const metric = opts.search.metric ?? 'ndcg@10';
    const validK = Math.max(maxK, metricK(metric));
    const candidates = searchTrials(searchSpaceFor(def, dataShape(setup.train.matrix)), fixed, opts.search.method, opts.search.trials, deriveSeed(opts.seed, `search:${def.name}`));
    const trials: SearchTrial[] = [];
    for (let t = 0; t < candidates.length; t++) {
      const trial = { n: t + 1, of: candidates.length };
      const fitted = await fitModel(def, candidates[t], setup, opts, trial);
      const valid = await validationMetrics(fitted, setup, { ...opts, ks: [...new Set([...opts.ks, metricK(metric)])] }, validK, trial);
      trials.push({ params: fitted.params, value: valid[metric] ?? NaN, fitSeconds: fitted.fitSeconds });
      logger.info('eval trial', { model: def.name, trial: t + 1, value: valid[metric] });
    }
    let best = 0;
    trials.forEach((tr, i) => { if (tr.value > trials[best].value) best = i; });
    chosen = candidates[best];
    search = { method: opts.search.method, metric, trials, best };
  }
  // Refit the chosen configuration on train only (same seed, so the same model the search scored).
  const trained = await fitModel(def, chosen, setup, opts);
  const validMetrics = await validationMetrics(trained, setup, opts, maxK);
  // With refit, test is scored by the same configuration fitted on train + valid.
  const fitted = setup.testTrain === setup.train ? trained : await fitModel(def, chosen, setup, opts, undefined, true);
  const clock = opts.clock ?? systemClock;
  const t0 = clock.now();
  const testHistory = setup.testHistory;
  const lists = await rankUsers(fitted.model, {
    users: setup.testUsers,
    k: maxK,
    exclude: setup.testMask,
    ...(testHistory ? { history: (u: number) => historyRow(testHistory, u) } : {}),
    candidates: setup.candidates?.test,
    threads: opts.threads,
    blockScoring: opts.blockScoring,
    signal: opts.signal,
    onProgress: (done, total) => opts.onProgress?.({ model: def.name, phase: 'test', done, total }),
  });
  const scoreSeconds = (clock.now() - t0) / 1000;
  const scored = { users: setup.testUsers, lists, truth: setup.test.matrix };
  const metrics = { ...accuracyMetrics(scored, opts.ks), ...beyondAccuracyMetrics(scored, setup.catalogue, opts.ks) };
  let coldMetrics: Record<string, number> | undefined;
  if (setup.coldUsers.length > 0) {
    const coldLists = await rankUsers(fitted.model, {
      users: setup.coldUsers, k: maxK, exclude: setup.testMask, candidates: setup.candidates?.cold, threads: opts.threads, blockScoring: opts.blockScoring, signal: opts.signal,
    });
    coldMetrics = accuracyMetrics({ users: setup.coldUsers, lists: coldLists, truth: setup.test.matrix }, opts.ks);
  }
  const exposure = exposureCounts(lists, setup.catalogue.nItems, mainK);
  logger.info('eval model done', { model: def.name, ndcg: metrics[`ndcg@${mainK}`], fitSeconds: fitted.fitSeconds });
  const result: ModelResult = {
    model: def.name,
    params: fitted.params,
    fitSeconds: fitted.fitSeconds,
    scoreSeconds,
    metrics,
    validMetrics,
    ...(coldMetrics ? { coldMetrics } : {}),
    ...(search ? { search } : {}),
    longTail: longTailCurve(setup.catalogue.itemUsers, exposure, LONG_TAIL_BINS),
  };
  return { result, trained: trained.model, tested: fitted.model };
}
