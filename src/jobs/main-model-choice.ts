import type { Clock } from '../core/clock.js';
import type { InteractionMatrix } from '../core/interactions.js';
import type { Logger } from '../core/logger.js';
import { dataShape } from '../models/data-shape.js';
import { linearModelForSize, type LinearModelChoice } from '../models/linear-model-choice.js';
import type { Model } from '../models/model.js';
import { modelDefinition } from '../models/registry.js';
import { resolveParams, type ParamSource } from '../models/scaled-defaults.js';
import { tuneMainModel, type TuneModelSummary, type TuneResult } from './tuning/tune.js';

/** `train --tune`: search models and params on a validation split within a budget, then fit the choice on all data. */
export interface TuneRequest {
  budgetSeconds: number;
  /** Candidate models; default the tuner's set (ease, als, itemknn). */
  models?: string[];
}

/** How a tuned version was chosen, stored in its meta (GET /v1/models, `kindred models`). */
export interface TuningRecord {
  metric: string;
  /** The chosen configuration's validation metrics @10. */
  validMetrics: Record<string, number>;
  validUsers: number;
  trials: number;
  /** Per candidate model: trials run, best validation value and its params. */
  models: TuneModelSummary[];
  skipped: TuneResult['skipped'];
  chosenBy: TuneResult['chosenBy'];
  stopped: TuneResult['stopped'];
  budgetSeconds: number;
  /** Time the search took (the final fit comes after). */
  seconds: number;
}

/** What a version records about its main model: the resolved params and where each came from. */
export interface MainModelRecord {
  model: string;
  params: Record<string, unknown>;
  paramSources: Record<string, ParamSource>;
  tuning?: TuningRecord;
  /** Set when the catalogue's size replaced the asked model (dense EASE -> sparse EASE, linear-model-choice.ts). */
  bySize?: LinearModelChoice['bySize'];
}

export interface MainModelRequest {
  model: string;
  params: Record<string, unknown>;
  tune?: TuneRequest;
  signal?: AbortSignal;
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * The untrained main model a training run fits on `data`: the requested model with its params resolved against the
 * data (explicit, then data-scaled, then fixed defaults), or with `tune` the model and params a validation search
 * chose within the budget. EASE asked for on a catalogue too large for its dense inverse is fitted as sparse EASE
 * (linear-model-choice.ts); the record says so.
 *
 * @example const { model, record } = await chooseMainModel(data, { model: 'ease', params: {} }, { clock, logger })
 */
export async function chooseMainModel(
  data: InteractionMatrix,
  req: MainModelRequest,
  deps: { clock: Clock; logger: Logger },
): Promise<{ model: Model<object>; record: MainModelRecord }> {
  if (req.tune) {
    const fixed = Object.keys(req.params).length > 0 ? req.params : undefined;
    const choice = await tuneMainModel(data, {
      budgetSeconds: req.tune.budgetSeconds, models: req.tune.models, fixed, clock: deps.clock, logger: deps.logger,
      signal: req.signal, threads: req.threads, onProgress: req.onProgress,
    });
    const def = modelDefinition(choice.model);
    deps.logger.info('tuned', { model: choice.model, trials: choice.trials.length, [choice.metric]: choice.validMetrics[choice.metric], seconds: choice.seconds });
    const tuning: TuningRecord = {
      metric: choice.metric, validMetrics: choice.validMetrics, validUsers: choice.validUsers, trials: choice.trials.length,
      models: choice.summary, skipped: choice.skipped, chosenBy: choice.chosenBy, stopped: choice.stopped, budgetSeconds: choice.budgetSeconds, seconds: choice.seconds,
    };
    // Tuned and explicit params stay; data-scaled ones are scaled again to all the data the final fit sees.
    const kept = Object.fromEntries(Object.entries(choice.params).filter(([k]) => choice.sources[k] === 'tuned' || choice.sources[k] === 'explicit'));
    const resolved = resolveParams(def, kept, dataShape(data.matrix));
    const paramSources = { ...resolved.sources };
    for (const key of Object.keys(kept)) paramSources[key] = choice.sources[key];
    return { model: def.create(resolved.params), record: { model: def.name, params: resolved.params, paramSources, tuning } };
  }
  const shape = dataShape(data.matrix);
  const choice = linearModelForSize(req.model, req.params, shape);
  if (choice.bySize) deps.logger.info('model chosen by catalogue size', { asked: choice.bySize.asked, model: choice.model, items: shape.items, denseMaxItems: choice.bySize.denseMaxItems });
  const def = modelDefinition(choice.model);
  const resolved = resolveParams(def, choice.params, shape);
  const record: MainModelRecord = { model: def.name, params: resolved.params, paramSources: resolved.sources, ...(choice.bySize ? { bySize: choice.bySize } : {}) };
  return { model: def.create(resolved.params), record };
}
