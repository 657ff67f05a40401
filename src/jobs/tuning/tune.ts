import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import type { Logger } from '../../core/logger.js';
import { accuracyMetrics } from '../../eval/metrics/evaluate.js';
import { deriveSeed } from '../../eval/random.js';
import { rankUsers } from '../../eval/ranking.js';
import { searchTrials } from '../../eval/search.js';
import { dataShape, type DataShape } from '../../models/data-shape.js';
import type { ModelDefinition } from '../../models/definition.js';
import { DENSE_EASE_MAX_ITEMS, SPARSE_LINEAR_MODEL } from '../../models/linear-model-choice.js';
import { canonicalModelName, modelDefinition, needsItemEmbeddings } from '../../models/registry.js';
import { resolveParams, searchSpaceFor, type ParamSource } from '../../models/scaled-defaults.js';
import { chooseTrial, perUserNdcg, type ChosenBy } from './selection.js';
import { validationSplit, type ValidationSplit } from './validation-split.js';

/** Models `--tune` chooses among when none is named: the strong collaborative ones. */
export const TUNE_CANDIDATES: readonly string[] = ['ease', 'als', 'itemknn'];
/** The metric that picks the model and its params on the validation part. */
export const TUNE_METRIC = 'ndcg@10';
/** Share of each user's interactions held out for validation. */
const VALID_FRACTION = 0.1;
/** Users scored per trial at most (a seeded sample beyond it). */
const MAX_VALID_USERS = 5_000;
/** Random draws per model at most, after its defaults (a large budget on small data stops here). */
const MAX_DRAWS_PER_MODEL = 40;
/** The final fit sees all data, a little more than a trial's train part: its time is estimated with this margin. */
const FULL_FIT_MARGIN = 1.25;

export interface TuneOptions {
  /** Wall-clock budget for the search and the final fit, in seconds. */
  budgetSeconds: number;
  /** Candidate models (names or aliases); default TUNE_CANDIDATES. */
  models?: readonly string[];
  /** Params held fixed while searching (only with one candidate model). */
  fixed?: Record<string, unknown>;
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
  threads?: number;
  seed?: number;
  /** Elapsed and budget, in ms, after each trial. */
  onProgress?: (elapsedMs: number, budgetMs: number) => void;
  /** Where model definitions come from (tests pass their own); default the registry. */
  definition?: (name: string) => ModelDefinition<object>;
}

export interface TuneTrial {
  model: string;
  params: Record<string, unknown>;
  value: number;
  fitSeconds: number;
  seconds: number;
}

/** Per candidate model: how many trials ran and its best one. */
export interface TuneModelSummary {
  model: string;
  trials: number;
  best: number;
  bestParams: Record<string, unknown>;
}

export interface TuneResult {
  model: string;
  params: Record<string, unknown>;
  sources: Record<string, ParamSource>;
  metric: string;
  /** The chosen trial's validation metrics @10. */
  validMetrics: Record<string, number>;
  trials: TuneTrial[];
  summary: TuneModelSummary[];
  skipped: Array<{ model: string; reason: string }>;
  /** 'best': the best validation mean; 'defaults-within-noise': a model's defaults, no draw beating them by one standard error. */
  chosenBy: ChosenBy;
  /** 'budget': trials stopped because the next would not fit; 'exhausted': every planned trial ran. */
  stopped: 'budget' | 'exhausted';
  seconds: number;
  budgetSeconds: number;
  validUsers: number;
}

interface PlannedTrial { model: string; params: Record<string, unknown>; sources: Record<string, ParamSource>; defaults: boolean }

/** Why a candidate cannot be tuned on this data, or undefined. */
function unsuitable(model: string, shape: DataShape): string | undefined {
  if (needsItemEmbeddings(model)) return 'needs item text embeddings';
  if (model === 'ease' && shape.items > DENSE_EASE_MAX_ITEMS) return `dense EASE over ${shape.items} items (more than ${DENSE_EASE_MAX_ITEMS}): ${SPARSE_LINEAR_MODEL} is tuned in its place`;
  return undefined;
}

/** Each model's trials: its resolved (data-scaled) defaults first, then seeded random draws over its search space. */
function planTrials(def: ModelDefinition<object>, fixed: Record<string, unknown>, shape: DataShape, seed: number): PlannedTrial[] {
  const resolved = resolveParams(def, fixed, shape);
  const draws = searchTrials(searchSpaceFor(def, shape), fixed, 'random', MAX_DRAWS_PER_MODEL + 1, deriveSeed(seed, `tune:${def.name}`)).slice(1);
  const tuned = draws.map((drawn) => {
    const sources = { ...resolved.sources };
    for (const key of Object.keys(drawn)) if (!(key in fixed)) sources[key] = 'tuned';
    return { model: def.name, params: def.parseParams({ ...resolved.params, ...drawn }) as Record<string, unknown>, sources, defaults: false };
  });
  return [{ model: def.name, params: resolved.params, sources: resolved.sources, defaults: true }, ...tuned];
}

/** Interleaves the models' plans: every model's defaults first, then one draw of each model per round. */
function interleave(plans: PlannedTrial[][]): PlannedTrial[] {
  const out: PlannedTrial[] = [];
  for (let round = 0; plans.some((p) => round < p.length); round++) for (const p of plans) if (round < p.length) out.push(p[round]);
  return out;
}

/**
 * Chooses the main model and its params on a seeded per-user validation hold-out of `data`, within a time budget:
 * each candidate's data-scaled defaults, then random draws from its search space, round-robin; a trial starts only
 * when its estimated time (the slowest of that model's trials so far) plus the final fit on all data still fits in
 * the budget, except the very first. Picks by validation NDCG@10, keeping a model's defaults unless a draw beats them
 * by more than one standard error (selection.ts). The caller then fits the choice on all data.
 *
 * @example const choice = await tuneMainModel(data, { budgetSeconds: 120, clock: systemClock, logger }); createModel(choice.model, choice.params)
 */
export async function tuneMainModel(data: InteractionMatrix, opts: TuneOptions): Promise<TuneResult> {
  const clock = opts.clock;
  const started = clock.now();
  const budgetMs = opts.budgetSeconds * 1000;
  const elapsed = () => clock.now() - started;
  const seed = opts.seed ?? 42;
  const definition = opts.definition ?? modelDefinition;
  const names = [...new Set((opts.models ?? TUNE_CANDIDATES).map(canonicalModelName))];
  const fixed = opts.fixed ?? {};
  if (names.length > 1 && Object.keys(fixed).length > 0) throw new EngineError('INVALID_INPUT', 'params can be fixed while tuning only when one model is named', { path: 'params' });
  const split = validationSplit(data, { fraction: VALID_FRACTION, seed, maxUsers: MAX_VALID_USERS });
  if (split.users.length === 0) throw new EngineError('INVALID_INPUT', 'too little data to tune: no user has two or more interactions', { path: 'tune' });
  const shape = dataShape(split.train.matrix);
  const skipped: TuneResult['skipped'] = [];
  const plans: PlannedTrial[][] = [];
  for (const name of names) {
    const reason = unsuitable(name, shape);
    if (reason) skipped.push({ model: name, reason });
    else plans.push(planTrials(definition(name), fixed, shape, seed));
    // a catalogue too large for dense EASE gets the sparse model in its place (linear-model-choice.ts)
    if (name === 'ease' && reason && shape.items > DENSE_EASE_MAX_ITEMS && !names.includes(SPARSE_LINEAR_MODEL) && Object.keys(fixed).length === 0) {
      plans.push(planTrials(definition(SPARSE_LINEAR_MODEL), fixed, shape, seed));
    }
  }
  if (plans.length === 0) throw new EngineError('INVALID_INPUT', `no candidate model suits this data (${skipped.map((s) => `${s.model}: ${s.reason}`).join('; ')})`, { path: 'tune' });

  const trials: TuneTrial[] = [];
  const metrics: Record<string, number>[] = [];
  const perUser: Float64Array[] = [];
  const planned: PlannedTrial[] = [];
  let stopped: TuneResult['stopped'] = 'exhausted';
  for (const next of interleave(plans)) {
    if (opts.signal?.aborted) throw new EngineError('CANCELLED', 'training cancelled');
    if (trials.length > 0 && elapsed() + estimateMs(trials, next.model) + finalFitMs(trials) > budgetMs) {
      stopped = 'budget';
      // a cheaper model's trial may still fit: keep looking instead of stopping at the first that does not
      continue;
    }
    const trial = await runTrial(next, definition(next.model), split, opts);
    trials.push(trial.summary);
    metrics.push(trial.metrics);
    perUser.push(trial.perUser);
    planned.push(next);
    opts.logger.info('tune trial', { model: next.model, trial: trials.length, [TUNE_METRIC]: trial.summary.value, seconds: trial.summary.seconds });
    opts.onProgress?.(elapsed(), budgetMs);
  }
  const { index: best, chosenBy } = chooseTrial(planned.map((p, i) => ({ perUser: perUser[i], defaults: p.defaults })));
  return {
    model: planned[best].model,
    params: planned[best].params,
    sources: planned[best].sources,
    metric: TUNE_METRIC,
    validMetrics: metrics[best],
    trials,
    summary: summarise(trials),
    skipped,
    chosenBy,
    stopped,
    seconds: elapsed() / 1000,
    budgetSeconds: opts.budgetSeconds,
    validUsers: split.users.length,
  };
}

async function runTrial(
  next: PlannedTrial,
  def: ModelDefinition<object>,
  split: ValidationSplit,
  opts: TuneOptions,
): Promise<{ summary: TuneTrial; metrics: Record<string, number>; perUser: Float64Array }> {
  const t0 = opts.clock.now();
  const model = def.create(def.parseParams(next.params));
  await model.fit(split.train, { logger: opts.logger, clock: opts.clock, signal: opts.signal, threads: opts.threads, seed: opts.seed });
  const fitSeconds = (opts.clock.now() - t0) / 1000;
  const lists = await rankUsers(model, { users: split.users, k: 10, exclude: (u) => split.train.matrix.rowIndices(u), threads: opts.threads, signal: opts.signal });
  const metrics = accuracyMetrics({ users: split.users, lists, truth: split.valid }, [10]);
  const value = metrics[TUNE_METRIC];
  const perUser = perUserNdcg(lists, split.users, split.valid, 10);
  return { summary: { model: next.model, params: next.params, value, fitSeconds, seconds: (opts.clock.now() - t0) / 1000 }, metrics, perUser };
}

/** The slowest trial of this model so far, or of any model before its first trial. */
function estimateMs(trials: TuneTrial[], model: string): number {
  const own = trials.filter((t) => t.model === model);
  return Math.max(0, ...(own.length > 0 ? own : trials).map((t) => t.seconds * 1000));
}

/** The final fit of the best trial so far on all data. */
function finalFitMs(trials: TuneTrial[]): number {
  const best = trials[bestIndex(trials)];
  return best.fitSeconds * 1000 * FULL_FIT_MARGIN;
}

/** Highest validation value; ties keep the earlier (defaults before draws). NaN never wins. */
function bestIndex(trials: TuneTrial[]): number {
  let best = 0;
  trials.forEach((t, i) => { if (t.value > trials[best].value || Number.isNaN(trials[best].value)) best = i; });
  return best;
}

function summarise(trials: TuneTrial[]): TuneModelSummary[] {
  const byModel = new Map<string, TuneTrial[]>();
  for (const t of trials) byModel.set(t.model, [...(byModel.get(t.model) ?? []), t]);
  return [...byModel].map(([model, own]) => {
    const best = own[bestIndex(own)];
    return { model, trials: own.length, best: best.value, bestParams: best.params };
  });
}
