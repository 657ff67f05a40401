import { scoreEventTexts } from './care/scored-events.js';
import type { KindredConfig } from './config/config.js';
import { systemClock, type Clock } from './core/clock.js';
import { EngineError } from './core/errors.js';
import { createLogger, type Logger } from './core/logger.js';
import type { Event, Item, ItemId, User, UserId } from './core/types.js';
import type {
  Engine, EngineStatus, ModelsReport, PrecomputeRequest, RecommendOptions, RecommendResult, SimilarOptions, SimilarResult, TrainOptions,
} from './engine-types.js';
import { createFeedback } from './care/feedback.js';
import { createCarePreferenceBook } from './care/care-preferences.js';
import type { CareOverride } from './care/care-strength.js';
import { impressionSecrets, signImpressionToken, verifyImpressionToken } from './care/impression-token.js';
import { impressionEvents, type ImpressionList } from './care/impressions.js';
import { lastPerId, uniqueEvents } from './ingest/batch-dedupe.js';
import { checkEventTypes, validateRecords } from './ingest/validate.js';
import { createProfileBook } from './interests/profile-book.js';
import type { ModelBundle } from './models/model-bundle.js';
import { createListPrecompute } from './jobs/list-precompute.js';
import { createServingIndexes } from './jobs/serving-index.js';
import { ModelServing } from './jobs/serving.js';
import { modelSnapshot, scoreHistory } from './privacy/on-device/model-snapshot.js';
import { startTraining, trainingRequest, type RunningTraining } from './jobs/training-run.js';
import { leaseHolderId } from './jobs/training-lease.js';
import { queueTraining } from './jobs/training-queue.js';
import type { EmbeddingProvider } from './providers/embedding.js';
import type { LlmProvider } from './providers/llm.js';
import { openEmbeddingProvider, openLlmProvider } from './providers/registry.js';
import { stageDigest } from './pipeline/list-cache.js';
import { createFilterCompiler } from './pipeline/filters/compile.js';
import { recommendForUser } from './pipeline/recommend.js';
import { whyItem, type WhyResult } from './pipeline/why.js';
import { movementsOf } from './pipeline/movement.js';
import { explainInSentences } from './care/explain-sentences.js';
import { bothKept } from './pipeline/scenarios/both-kept.js';
import { createScenarioBook } from './pipeline/scenarios/scenario-book.js';
import { stagesFromConfig } from './pipeline/registry.js';
import { buildRecommendContext } from './pipeline/request-context.js';
import { similarToItem } from './pipeline/similar.js';
import type { RequestContext } from './pipeline/stage.js';
import { openCache, openStore } from './storage/registry.js';
import { requireKnownUser } from './storage/known-user.js';
import { pageOf } from './storage/paging.js';
import type { PageOptions, Store } from './storage/store.js';
import { createEraser } from './privacy/eraser.js';
import { exportUser } from './privacy/user-export.js';
import { providerFor } from './privacy/consent.js';
import { purgeExpired } from './privacy/retention.js';
import { pseudonymousEngine, userIdMapper } from './privacy/pseudonymous-ids.js';
import type { Cache } from './storage/cache.js';
import { createInsights } from './stats/insights.js';
import { openRecorded, ProviderCalls, recordEmbeddingCalls, recordLlmCalls } from './stats/provider-calls.js';

export interface EngineDeps {
  logger?: Logger;
  clock?: Clock;
  /** Use this provider instead of the one config embeddings.provider names. */
  embeddings?: EmbeddingProvider;
  /** Use this provider instead of the one config llm.provider names. */
  llm?: LlmProvider;
  /** false: open an existing store only; a missing one is EngineError NOT_FOUND and nothing is created (default true). */
  createStore?: boolean;
  /**
   * A store the caller opened (for the same store config.store.url names: training and loading threads open it by
   * that URL). The engine uses it and never closes it: the caller keeps its reference, for what the engine does not
   * offer (bulk imports, direct reads in tests), and closes it after `engine.close()`. Without it the engine opens
   * config.store.url and closes it on close.
   */
  store?: Store;
  /** A cache the caller opened over the same store; like `store`, the caller closes it. Default: config.cache.url, closed by the engine. */
  cache?: Cache;
  /** The secret key of privacy.pseudonymousIds (default: environment KINDRED_ID_KEY). */
  idKey?: string;
}

/**
 * Wires store, cache, models and pipeline from one validated config.
 *
 * @example
 * const engine = await createEngine(resolveConfig({ store: { url: 'sqlite://./kindred.db' } }));
 * await engine.train();
 * const { items } = await engine.recommend('user-1', { count: 10 });
 */
export async function createEngine(config: KindredConfig, deps: EngineDeps = {}): Promise<Engine> {
  // Checked first: a missing key must fail before anything is opened or written.
  const userIds = userIdMapper(config.privacy.pseudonymousIds, deps.idKey ?? process.env.KINDRED_ID_KEY);
  const logger = deps.logger ?? createLogger(config.log.level);
  const clock = deps.clock ?? systemClock;
  const store = deps.store ?? await openStore(config.store.url, {
    logger, clock, create: deps.createStore, durability: config.store.durability, lockTimeoutMs: config.store.lockTimeoutMs,
  });
  const cache = deps.cache ?? await openCache(config.cache.url, store, clock, logger);
  let training: RunningTraining | undefined;
  const leaseHolder = leaseHolderId(); // this engine in the store's trainer lease
  // Opened on first use: the builtin encoder reads its word-vector cache, a remote one may need a key. Their calls are
  // timed and their outcomes kept for the health report (GET /v1/stats/serving).
  const embeddingCalls = new ProviderCalls(config.embeddings.provider, clock);
  const llmCalls = new ProviderCalls(config.llm.provider, clock);
  let embeddings: Promise<EmbeddingProvider | undefined> | undefined;
  const embeddingProvider = () => (embeddings ??= openRecorded(deps.embeddings ? Promise.resolve(deps.embeddings) : openEmbeddingProvider(config.embeddings.provider, { logger }), embeddingCalls, recordEmbeddingCalls));
  let llm: Promise<LlmProvider | undefined> | undefined;
  const llmProvider = () => (llm ??= openRecorded(deps.llm ? Promise.resolve(deps.llm) : openLlmProvider(config.llm.provider, { logger }), llmCalls, recordLlmCalls));

  const stages = stagesFromConfig(config.pipeline);
  const profiles = createProfileBook({ store, config, logger, llm: llmProvider });
  const contextDeps = (bundle: ModelBundle) => ({ config, store, bundle, clock, logger, embeddings: embeddingProvider, llmProvider, interests: profiles.forRequest });
  const lists = createListPrecompute({ config, store, cache, clock, logger, stages, contextDeps });
  const servingIndexes = createServingIndexes({ minItems: config.models.annMinItems, efSearch: config.models.annEfSearch, logger });
  const serving = new ModelServing(store, {
    logger,
    storeUrl: config.store.url,
    pollSeconds: config.models.pollSeconds,
    embeddingProvider,
    onSwap: async () => { await cache.invalidate({}); },
    onServe: (bundle) => {
      servingIndexes.onServe(bundle);
      lists.onServe(bundle);
    },
  });
  await serving.start();

  const requestContext = (signal?: AbortSignal): RequestContext => ({ clock, logger, signal, trace: [] });
  // Filter expressions repeat across requests: each is parsed once and kept among the most recently used.
  const filters = createFilterCompiler();
  const compileFilter = (expression: string | undefined) => (expression?.trim() ? filters.compile(expression) : undefined);
  const scenarios = createScenarioBook({ store, config, clock, compile: (expression) => filters.compile(expression) });
  const carePreferences = createCarePreferenceBook({ store, cache });
  const tokenSecrets = impressionSecrets({ config, store, logger });
  const tokenMaxAgeMs = config.care.impressionTokenHours * 3_600_000;
  /** The impression token of a user's answer (none for anonymous or empty lists, or with tokens off). */
  async function impressionToken(userId: UserId | undefined, itemIds: ItemId[]): Promise<string | undefined> {
    if (userId === undefined || itemIds.length === 0 || tokenMaxAgeMs <= 0) return undefined;
    const key = await tokenSecrets.signing();
    return key && signImpressionToken(key, { userId, itemIds, atMs: clock.now() });
  }
  const requireBundle = (): ModelBundle => {
    const bundle = serving.current; // a request keeps this bundle even when a newer one is swapped in meanwhile
    if (!bundle) throw new EngineError('NOT_TRAINED', 'no trained model yet: run `kindred train` (or POST /v1/train)');
    return bundle;
  };

  /** One request's stages and context: its filter, scenario, served bundle and care settings (recommend and why share it). */
  async function prepareRequest(userId: UserId | undefined, opts: RecommendOptions) {
    const filter = compileFilter(opts.filter); // a bad filter is reported before anything else
    const scenario = opts.scenario === undefined ? undefined : await scenarios.resolve(opts.scenario);
    const b = requireBundle();
    const scenarioCare = scenario?.scenario.care as CareOverride | undefined; // checked when the scenario was resolved
    const input = { ...opts, count: opts.count ?? scenario?.scenario.count, keepItem: bothKept(filter, scenario?.keepItem), scenarioCare };
    const ctx = await buildRecommendContext(userId, input, { ...contextDeps(b), config: scenario?.config ?? config });
    return { b, ctx, stages: scenario?.stages ?? stages };
  }
  const feedback = createFeedback({ config, store, cache, clock, addEvents: (events) => engine.addEvents(events) });

  async function models(): Promise<ModelsReport> {
    const versions = await serving.versions(); // marks the pinned version (never pruned), so one read answers both
    return {
      serving: serving.current?.version ?? null,
      pinned: versions.find((v) => v.pinned)?.version ?? null,
      training: training ? { jobId: training.jobId, model: training.model } : null,
      versions,
    };
  }

  const eraser = createEraser({
    config, store, cache, logger, clock, serving, leaseHolder, training: () => training, train: (opts) => engine.train(opts),
  });

  const engine: Engine = {
    config,
    ...createInsights({ store, embeddingCalls, llmCalls }),

    async upsertItems(items: Item[]) {
      validateRecords('item', items, { pathPrefix: '/items' });
      const { records, merged } = lastPerId(items);
      await store.upsertItems(records);
      await serving.itemsStored(records.map((it) => it.id)); // embedded, stored and served from now on, here and elsewhere
      return { upserted: records.length, merged };
    },

    async upsertUsers(users: User[]) {
      validateRecords('user', users, { pathPrefix: '/users' });
      const { records, merged } = lastPerId(users);
      await store.upsertUsers(records);
      return { upserted: records.length, merged };
    },

    async addEvents(events: Event[]) {
      validateRecords('event', events, { pathPrefix: '/events' });
      checkEventTypes(events, config.events);
      const unique = uniqueEvents(events);
      // The text's sentiment is stored with the event, so no later read (in any process) scores it again.
      const { events: scored } = await scoreEventTexts(unique.events);
      const stored = await store.addEvents(scored);
      const bundle = serving.current;
      if (bundle) await profiles.noteEvents(scored, bundle); // the next request sees the updated interests
      return { ...stored, repeats: unique.repeats, conflicts: unique.conflicts };
    },

    recordImpressions(userId: UserId, itemIds: ItemId[], at?: string | Date) {
      return engine.recordImpressionLists([{ userId, itemIds, timestamp: at instanceof Date ? at.toISOString() : at }]);
    },

    async recordImpressionLists(lists: ImpressionList[]) {
      if (!Array.isArray(lists)) throw new EngineError('INVALID_INPUT', 'impressions must be a list', { path: '/' });
      const report = await engine.addEvents(impressionEvents(lists, new Date(clock.now()).toISOString()));
      return { recorded: report.accepted, duplicates: report.duplicates + report.repeats };
    },

    feedback: (userId, input) => feedback.give(userId, input),
    listFeedback: (userId) => feedback.list(userId),
    deleteFeedback: (userId, itemId) => feedback.remove(userId, itemId),
    async recordImpressionToken(token: string) {
      if (tokenMaxAgeMs <= 0) throw new EngineError('UNSUPPORTED', 'impression tokens are off: config care.impressionTokenHours is 0');
      const list = verifyImpressionToken(token, await tokenSecrets.all(), clock.now(), tokenMaxAgeMs);
      return engine.recordImpressionLists([list]);
    },

    async deleteItem(id: ItemId) {
      if (!(await store.deleteItem(id))) throw new EngineError('NOT_FOUND', 'unknown item', { id });
      await cache.invalidate({ subject: id });
    },

    async getItem(id: ItemId) {
      const [item] = await store.getItems([id]);
      if (!item) throw new EngineError('NOT_FOUND', 'unknown item', { id });
      return item;
    },

    async getUser(id: UserId) {
      const user = await store.getUser(id);
      if (!user) throw new EngineError('NOT_FOUND', 'unknown user', { id });
      return user;
    },

    listItems: (opts: PageOptions) => pageOf((o) => store.listItems(o), opts),
    listUsers: (opts: PageOptions) => pageOf((o) => store.listUsers(o), opts),

    async train(opts: TrainOptions = {}) {
      // One training run at a time: the same request joins the run in progress, a different one is refused (CONFLICT).
      const wanted = trainingRequest(opts, config);
      if (training) return training.join(wanted);
      const run = startTraining(wanted, opts, { config, store, serving, logger, clock, embeddings: embeddingProvider, injectedEmbeddings: deps.embeddings !== undefined, leaseHolder });
      training = run;
      try {
        return await run.report;
      } finally {
        training = undefined;
      }
    },

    async queueTraining(opts: TrainOptions = {}) {
      trainingRequest(opts, config); // a bad request is refused now, not by the trainer later
      return queueTraining(store, { model: opts.model, params: opts.params, tune: opts.tune, budgetSeconds: opts.budgetSeconds }, clock);
    },

    models,

    async rollbackModel(to: number | 'latest') {
      await serving.pin(to === 'latest' ? undefined : to);
      return models();
    },

    modelSnapshot: () => modelSnapshot(requireBundle()),
    scoreHistory: (history, k) => scoreHistory(requireBundle(), history, k),

    async recommend(userId: UserId | undefined, opts: RecommendOptions = {}): Promise<RecommendResult> {
      const { b, ctx, stages: run } = await prepareRequest(userId, opts);
      // Moves are worked out from a live run: asked for them, the list is not served from the cache.
      const caching = opts.moves ? undefined : { cache, digest: stageDigest(config, b), request: opts };
      const { items, personalised, notice, movement } = await recommendForUser(run, ctx, caching);
      const explained = opts.explain ? await explainInSentences(items, { provider: providerFor(await llmProvider(), ctx.textMayLeave), deadlineMs: config.llm.deadlineMs, signal: opts.signal, trace: ctx.trace }) : items;
      const moves = opts.moves && movement ? { moves: movementsOf(movement, items.map((r) => r.itemId)) } : {};
      const token = await impressionToken(userId, items.map((r) => r.itemId));
      return { userId, items: explained, personalised, ...(notice ? { notice } : {}), ...(token ? { impressionToken: token } : {}), model: { name: b.models.main.name, version: b.version }, trace: ctx.trace, ...moves };
    },

    async why(userId: UserId, itemId: ItemId, opts: RecommendOptions = {}): Promise<WhyResult> {
      const [, [item]] = await Promise.all([requireKnownUser(store, userId), store.getItems([itemId])]);
      if (!item) throw new EngineError('NOT_FOUND', 'unknown item', { id: itemId });
      const { ctx, stages: run } = await prepareRequest(userId, opts);
      return whyItem(run, ctx, item, new Set(opts.exclude ?? []));
    },

    precomputeLists: (opts: PrecomputeRequest = {}) => lists.forBundle(requireBundle(), opts),

    profile: (userId: UserId) => profiles.profile(userId, requireBundle()),

    async updateProfile(userId: UserId, change) {
      const profile = await profiles.update(userId, change, requireBundle());
      await cache.invalidate({ subject: userId }); // a cached list was made without the new settings
      return profile;
    },

    carePreferences: (userId: UserId) => carePreferences.get(userId),
    setCarePreferences: (userId: UserId, patch, opts) => carePreferences.set(userId, patch, opts),

    async similar(itemId: ItemId, opts: SimilarOptions = {}): Promise<SimilarResult> {
      const filter = compileFilter(opts.filter);
      const scenario = opts.scenario === undefined ? undefined : await scenarios.resolve(opts.scenario);
      const b = requireBundle();
      const [item] = await store.getItems([itemId]);
      if (!item) throw new EngineError('NOT_FOUND', 'unknown item', { id: itemId });
      const ctx = requestContext();
      const count = opts.count ?? scenario?.scenario.count ?? config.recommend.count;
      const items = await similarToItem({ itemId, title: item.title, count, exclude: new Set(opts.exclude ?? []), keepItem: bothKept(filter, scenario?.keepItem), by: opts.by }, b, store, ctx);
      return { itemId, items, trace: ctx.trace };
    },

    putScenario: (scenario) => scenarios.put(scenario),
    getScenario: (name) => scenarios.get(name),
    listScenarios: () => scenarios.list(),
    deleteScenario: (name) => scenarios.delete(name),

    eraseUser: (id: UserId) => eraser.erase(id),
    exportUser: (id: UserId) => exportUser(store, id, new Date(clock.now()).toISOString()),
    purgeExpired: () => purgeExpired({ store, cache, logger, retentionDays: config.privacy.retentionDays }, clock.now()),

    health: () => store.health(),

    async status(): Promise<EngineStatus> {
      const counts = await store.counts();
      const bundle = serving.current;
      return bundle ? { counts, model: { name: bundle.models.main.name, version: bundle.version, trainedAt: bundle.trainedAt } } : { counts };
    },

    async close() {
      await eraser.settled();
      await training?.report.catch(() => undefined);
      await lists.stop();
      await servingIndexes.stop();
      await serving.close();
      if (!deps.cache) await cache.close();
      if (!deps.store) await store.close();
    },
  };
  return userIds ? pseudonymousEngine(engine, userIds) : engine;
}
