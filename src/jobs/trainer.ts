import { eventToneOf } from '../care/review-tone.js';
import type { KindredConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import type { InteractionMatrix } from '../core/interactions.js';
import type { Logger } from '../core/logger.js';
import type { EmbeddingProvider } from '../providers/embedding.js';
import { embedItems, loadItemVectors } from './item-embeddings.js';
import { dataShape } from '../models/data-shape.js';
import { InteractionsBuilder } from '../models/interactions-builder.js';
import { type FitContext, type ItemContent, type Model } from '../models/model.js';
import { createModel, needsItemEmbeddings } from '../models/registry.js';
import { chooseMainModel, type TuneRequest, type TuningRecord } from './main-model-choice.js';
import type { Store } from '../storage/store.js';
import { fitSupportModels } from './support-models.js';
import { BUNDLE_ARTIFACT, encodeBundle, type ModelBundle } from '../models/model-bundle.js';
import { channelModels, learnFusionAtTraining } from './fusion-training.js';

export interface TrainDeps {
  logger: Logger;
  clock: Clock;
  /** When given, item texts are embedded (only new or changed ones) and a semantic model is trained beside. */
  embeddings?: EmbeddingProvider;
}

export interface TrainJobOptions {
  model: string;
  params: Record<string, unknown>;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Worker threads the models may use (default: every core). */
  threads?: number;
  /** Choose the main model and params on a validation split within a budget (`model`/`params` then narrow the search). */
  tune?: TuneRequest;
  /** The training run's job id, recorded in the version's meta (a queued request finds its version by it). */
  jobId?: string;
}

export interface TrainJobResult {
  /** The main model fitted (the tuner's choice with `tune`). */
  model: string;
  version: number;
  seconds: number;
  users: number;
  items: number;
  interactions: number;
  tuning?: TuningRecord;
}

/**
 * Reads the whole event log into a training matrix (every catalogue item gets an index, even without events).
 *
 * @example const data = await buildTrainingData(store, config, (await store.counts()).events)
 */
export async function buildTrainingData(store: Store, config: KindredConfig, storedEvents: number) {
  const itemIds: string[] = [];
  for await (const batch of store.scanItems()) for (const it of batch) if (!it.hidden) itemIds.push(it.id);
  // Sized once from the stored count: growing by doubling would hold the old and new buffers at once (1.5x the
  // event arrays at the last step); the count is an upper bound (it includes negative events and impressions).
  const builder = new InteractionsBuilder({ items: itemIds, capacity: storedEvents });
  // Review tone weighs training as it weighs live profiles, when config asks for it (docs/care.md).
  const tone = config.events.sentimentWeighting ? eventToneOf(config) : undefined;
  for await (const batch of store.scanEvents({ batchSize: 10_000 })) {
    builder.addEvents(batch, config.events.types, config.events.allowUnknownTypes, tone);
  }
  return builder.build();
}

/** Embeds new or changed item texts and lays the vectors out by the training index; undefined when no item has text. */
async function itemContent(store: Store, provider: EmbeddingProvider, data: InteractionMatrix, ctx: FitContext): Promise<ItemContent | undefined> {
  const report = await embedItems(store, provider, { signal: ctx.signal });
  const vectors = await loadItemVectors(store, provider.id, data.items);
  if (!vectors.present.some((p) => p === 1)) return undefined;
  ctx.logger.info('item embeddings ready', { provider: provider.id, embedded: report.embedded, unchanged: report.unchanged });
  return { embeddings: vectors.vectors, dimensions: vectors.dims };
}

/**
 * Fits the configured main model plus popularity (and item-kNN for "similar items" when the main model cannot answer
 * it), stores them as one versioned bundle artifact, and returns the report. Serving swaps to the new version only
 * after it is fully written, so a failed or cancelled run changes nothing.
 *
 * @example await trainBundle(store, config, { model: 'itemknn', params: {} }, { logger, clock })
 */
export async function trainBundle(
  store: Store,
  config: KindredConfig,
  opts: TrainJobOptions,
  deps: TrainDeps,
): Promise<TrainJobResult & { bundle: ModelBundle }> {
  const t0 = performance.now();
  // Counted before the scan: the trainer compares later counts with it (trainer.afterEvents); at worst it runs early.
  const { events: storedEvents } = await store.counts();
  const data = await buildTrainingData(store, config, storedEvents);
  if (data.matrix.nnz === 0) throw new EngineError('NOT_TRAINED', 'no positive events to train on; import or send events first');
  const ctx: FitContext = {
    logger: deps.logger, clock: deps.clock, signal: opts.signal, onProgress: opts.onProgress, threads: opts.threads,
    excludesConsumed: config.recommend.excludeConsumed && config.care.repeatAfterDays === 0,
  };
  // params resolved against the data (explicit, data-scaled, fixed defaults), or chosen by tuning
  const { model: main, record } = await chooseMainModel(data, opts, deps);
  const popular = createModel('popular', { halfLifeDays: config.popular.halfLifeDays });
  const models: ModelBundle['models'] = { main, popular };
  // Content models need the item texts' vectors before they can fit; the others get them for the semantic role only.
  const needsText = needsItemEmbeddings(main.name);
  if (needsText && !deps.embeddings) {
    throw new EngineError('INVALID_CONFIG', `model ${main.name} needs item text embeddings: set embeddings.provider (KINDRED_EMBEDDINGS), e.g. builtin`, { path: 'embeddings.provider' });
  }
  const content = deps.embeddings ? await itemContent(store, deps.embeddings, data, ctx) : undefined;
  if (needsText && !content) {
    throw new EngineError('INVALID_INPUT', `model ${main.name} needs item text, and no item has a title or text: import items with a title or text (for MovieLens latest, kindred import --item-text), then train again`, { path: 'model' });
  }
  // Given to every main model when there is text: the ones that do not read it ignore it (the transformer's textInit reads it).
  await main.fit(data, content ? { ...ctx, content } : ctx);
  await popular.fit(data, { ...ctx, onProgress: undefined });
  Object.assign(models, await fitSupportModels(data, config, main, ctx));
  if (content) {
    const semantic = createModel('semantic', {});
    await semantic.fit(data, { ...ctx, onProgress: undefined, content });
    models.semantic = semantic;
  }
  // Extra recall channels and the fusion ranker learned on held-out events (fusion-training.ts, docs/fusion.md); a
  // popular main model asks for an impersonal list, so it gets neither.
  const personal = main.name !== 'popular';
  const channels: Record<string, Model<object>> = {};
  for (const model of personal ? channelModels(config.train.channels, main.name, dataShape(data.matrix)) : []) {
    await model.fit(data, { ...ctx, onProgress: undefined });
    channels[model.name] = model;
  }
  const fitQuiet = async (model: Model<object>, part: typeof data, withContent: boolean) => {
    await model.fit(part, { ...ctx, onProgress: undefined, ...(withContent ? { content } : {}) });
    return model;
  };
  const fusion = config.train.fusion && personal ? await learnFusionAtTraining(data, {
    store, config, ctx,
    fitMain: (part) => fitQuiet(createModel(main.name, { ...main.params }), part, content !== undefined),
    fitSupport: (part, fitted) => fitSupportModels(part, config, fitted, ctx),
    fitPopular: (part) => fitQuiet(createModel('popular', { halfLifeDays: config.popular.halfLifeDays }), part, false),
  }) : undefined;
  if (opts.signal?.aborted) throw new EngineError('CANCELLED', 'training cancelled');
  const trainedAt = new Date(deps.clock.now()).toISOString();
  const blob = encodeBundle({ trainedAt, users: data.users, items: data.items, models, channels, fusion });
  // What `GET /v1/models` and `kindred models` show for this version (seconds: up to the write).
  const meta = { ...record, trainedAt, ...(opts.jobId ? { jobId: opts.jobId } : {}), storedEvents, users: data.users.size, items: data.items.size, interactions: data.matrix.nnz, seconds: (performance.now() - t0) / 1000,
    channels: Object.keys(channels), ...(fusion ? { fusion: fusion.learned } : {}) };
  const version = await store.saveArtifact(BUNDLE_ARTIFACT, blob, meta);
  const seconds = (performance.now() - t0) / 1000;
  deps.logger.info('trained', { model: main.name, version, seconds, users: data.users.size, items: data.items.size });
  return {
    model: main.name,
    version,
    seconds,
    users: data.users.size,
    items: data.items.size,
    interactions: data.matrix.nnz,
    ...(record.tuning ? { tuning: record.tuning } : {}),
    bundle: { version, trainedAt, users: data.users, items: data.items, trainedItems: data.items.size, models, channels, ...(fusion ? { fusion } : {}) },
  };
}
