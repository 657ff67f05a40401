import { createHash } from 'node:crypto';
import type { KindredConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import type { IdLookup } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { emptyRow, type SparseRow } from '../core/sparse.js';
import type { Item, ItemId, StoredEvent, UserId } from '../core/types.js';
import { buildLiveProfile, type LiveProfile } from '../interests/live-profile.js';
import { recentEmphasisOf } from '../interests/recent-emphasis.js';
import type { InterestPreferences } from '../interests/profile-preferences.js';
import type { RequestInterests } from '../interests/request-interests.js';
import type { ModelBundle } from '../models/model-bundle.js';
import type { EmbeddingProvider } from '../providers/embedding.js';
import type { LlmProvider } from '../providers/llm.js';
import type { HistoryOptions, Store } from '../storage/store.js';
import { restrictRow } from './blend.js';
import type { RequestContext } from './stage.js';
import type { LlmRerankOptions } from './stages/llm-rerank.js';
import { checkCareOverride, dailyBudget, repeatAfterDays, type CareOverride } from '../care/care-strength.js';
import { layeredCare, storedCare } from '../care/care-settings.js';
import { historyTypes, impressionRead, stillConsumed } from '../care/engagement.js';
import { budgetImpressionRead } from '../care/budget.js';
import { eventToneOf } from '../care/review-tone.js';
import { scoreUnreadWithLlm } from '../care/llm-sentiment.js';
import { unstoredSentiments } from '../care/sentiment.js';
import { externalTextConsented, leavesMachine, personalisationConsented, providerFor } from '../privacy/consent.js';

/** Everything one recommend request needs, built once before the first stage runs. */
export interface RecommendContext extends RequestContext {
  userId?: UserId;
  /** List length asked for. */
  count: number;
  bundle: ModelBundle;
  store: Store;
  config: KindredConfig;
  /** Undefined when the user is unknown, has no history, or has not consented to personalisation. */
  profile?: LiveProfile;
  /** The events the profile was built from, newest first (empty without a profile): channels that weigh by time read it. */
  history?: readonly StoredEvent[];
  /** The live history row over every known item (empty without a profile). */
  row: SparseRow;
  /** The same row restricted to the items the collaborative models were trained on. */
  cfRow: SparseRow;
  /**
   * The short-term row (the newest positive events, config interests.shortTermEvents) over the trained items; undefined
   * when the newest of them is older than interests.shortTermSlotHours (a returning user's old events are no short-term
   * interest), and for histories known without times.
   */
  recentCfRow?: SparseRow;
  /** Never returned: explicit excludes, consumed items (unless allowed) and negative feedback. */
  blocked: ReadonlySet<ItemId>;
  /** `blocked` as item indexes: over every known item, and over the trained items only. */
  blockedIndexes: { all: Int32Array; trained: Int32Array };
  /** A free-text query and its raw embedding. */
  query?: { text: string; vector: Float32Array };
  /** False when the user refused consent.llm: none of their text may go to a provider whose calls leave the machine. */
  textMayLeave: boolean;
  /** When set, the llm-rerank stage may reorder the head of the list within its deadline. */
  llm?: LlmRerankOptions;
  /** Digest of the history window read for this request (undefined without history): a cached list made from another is stale. */
  historyDigest?: string;
  /** Extra item predicate of the filter stage (business rules); items it rejects are never shown. */
  keepItem?: (item: Item) => boolean;
  /** The user's mutes and boosts on their stored interests (the interest-preferences stage); undefined when none. */
  interestPreferences?: InterestPreferences;
  /** The centres of the user's unmuted stored interests, heaviest first (the interests channel); undefined without a stored profile. */
  interests?: RequestInterests['interests'];
  /** The item space those centres live in. */
  interestSpace?: RequestInterests['space'];
  /**
   * The care settings over config `care` that apply to this request, key by key: the request's own, else the user's
   * stored preferences (personal requests only), else the scenario's `care`; undefined when none sets a key. Stages
   * read them through the getters of care/care-strength.ts, which fall back to config.
   */
  care?: CareOverride;
  /**
   * The user's impressions of the last care.fatigueWindowDays, newest first (the fatigue stage); read only when
   * pipeline.rerank names fatigue, and then kept out of `history`. Without fatigue, the last 24 h of them when the
   * daily budget is on (care.dailyBudget > 0, or the request's, user's or scenario's own, and pipeline.rerank names budget).
   */
  impressions?: readonly StoredEvent[];
  /** What the care stages say about a list they shortened (the daily budget, the quality floor): the answer's notice. */
  notices?: string[];
}

/** What the context builder needs from the engine. */
export interface ContextDeps {
  config: KindredConfig;
  store: Store;
  bundle: ModelBundle;
  clock: Clock;
  logger: Logger;
  /** The embedding provider that encodes text queries (undefined when config embeddings.provider is none). */
  embeddings: () => Promise<EmbeddingProvider | undefined>;
  llmProvider: () => Promise<LlmProvider | undefined>;
  /** The user's stored profile as a request reads it (mutes, boosts, interest centres), read alongside their history. */
  interests?: (userId: UserId, bundle: ModelBundle) => Promise<RequestInterests | undefined>;
}

export interface RecommendRequestInput {
  count?: number;
  exclude?: ItemId[];
  includeConsumed?: boolean;
  query?: string;
  signal?: AbortSignal;
  /** A business-rule predicate for the filter stage (see RecommendContext.keepItem). */
  keepItem?: (item: Item) => boolean;
  /** The request's own care settings (see RecommendContext.care); checked here (INVALID_INPUT naming the key). */
  care?: CareOverride;
  /** The care settings of the scenario the request names (checked when the scenario was stored). */
  scenarioCare?: CareOverride;
}

async function embedQuery(text: string, embeddings: ContextDeps['embeddings'], textMayLeave: boolean): Promise<Float32Array> {
  const provider = await embeddings();
  if (!provider) throw new EngineError('UNSUPPORTED', 'text queries need an embedding provider: set embeddings.provider (KINDRED_EMBEDDINGS)');
  // There is no local fallback for a remote encoder: the query is refused rather than answered as if it were empty.
  if (!textMayLeave && leavesMachine(provider)) {
    throw new EngineError('UNSUPPORTED', 'the user has not consented to sending text to the remote embedding provider (consent.llm): text queries need a local embeddings.provider');
  }
  const [vector] = await provider.embed([text]);
  return vector;
}

/** Whether the user's newest positive event is recent enough to be a short-term interest (config interests.shortTermSlotHours). */
function isRecent(profile: LiveProfile, nowMs: number, config: KindredConfig): boolean {
  return profile.newestMs !== undefined && nowMs - profile.newestMs <= config.interests.shortTermSlotHours * 3_600_000;
}

function toIndexes(ids: Iterable<ItemId>, index: IdLookup, below: number): Int32Array {
  const out: number[] = [];
  for (const id of ids) {
    const i = index.indexOf(id);
    if (i !== undefined && i < below) out.push(i);
  }
  return Int32Array.from(out);
}

/**
 * The read of a user's history window for one request: the newest recommend.historyLimit events, without impressions
 * when a stage reads those apart (fatigue, the daily budget). The feedback listing reads the same window.
 *
 * @example await store.history(userId, requestHistoryRead(config))
 */
export function requestHistoryRead(config: KindredConfig, budgetOn = config.care.dailyBudget > 0): HistoryOptions {
  const apart = config.pipeline.rerank.includes('fatigue') || (budgetOn && config.pipeline.rerank.includes('budget'));
  return { limit: config.recommend.historyLimit, types: apart ? historyTypes(config) : undefined };
}

/**
 * Stores the scores wink just computed for history events stored before SQLite migration 6, without waiting: the
 * request never waits on this write, and a failed one only means the text is scored again by the next process.
 */
function writeBackSentiments(store: Store, history: readonly StoredEvent[], logger: Logger): void {
  const scores = unstoredSentiments(history);
  if (scores.length === 0) return;
  store.setEventSentiments(scores).catch((err: unknown) => logger.debug('sentiment write-back failed', { error: String(err) }));
}

/**
 * Prepares one recommend request: consent, history (one store read), live profile, excludes, query embedding and the
 * optional LLM re-ranker. No stage reads the user's history again.
 *
 * @example const ctx = await buildRecommendContext('u1', { count: 10 }, { config, store, bundle, clock, logger, embeddings, llmProvider })
 */
export async function buildRecommendContext(userId: UserId | undefined, opts: RecommendRequestInput, deps: ContextDeps): Promise<RecommendContext> {
  const { config, store, bundle } = deps;
  const requestCare = checkCareOverride(opts.care);
  const user = userId === undefined ? undefined : await store.getUser(userId);
  const personal = userId !== undefined && personalisationConsented(user);
  const textMayLeave = externalTextConsented(user);
  const fatigue = personal && config.pipeline.rerank.includes('fatigue');
  const budgetNamed = personal && config.pipeline.rerank.includes('budget');
  // Whether the budget is on before the user's preferences are read (they may turn it on or off: see below).
  const budget = budgetNamed && dailyBudget({ care: layeredCare(requestCare, opts.scenarioCare), config }) > 0;
  const nowMs = deps.clock.now();
  const [history, stored, readImpressions, preferences] = await Promise.all([
    personal ? store.history(userId, requestHistoryRead(config, budget)) : [],
    personal ? deps.interests?.(userId, bundle) : undefined,
    fatigue || budget ? store.history(userId, fatigue ? impressionRead(config, nowMs) : budgetImpressionRead(nowMs)) : undefined,
    personal ? store.getCarePreferences(userId) : undefined,
  ]);
  const care = layeredCare(requestCare, storedCare(preferences?.preferences), opts.scenarioCare);
  // Only a stored daily budget without the fatigue stage needs this second read (of the last 24 h of impressions).
  const impressions = readImpressions
    ?? (userId !== undefined && budgetNamed && dailyBudget({ care, config }) > 0 ? await store.history(userId, budgetImpressionRead(nowMs)) : undefined);
  // Texts in scripts the English model cannot read get their sentiment from the LLM when config allows (once each).
  if (config.care.llmSentiment && history.some((e) => e.text)) {
    const llm = providerFor(await deps.llmProvider(), textMayLeave); // without consent: the English model's score only
    if (llm) await scoreUnreadWithLlm(history, llm, config.llm.deadlineMs, opts.signal);
  }
  const profile = history.length > 0 ? buildLiveProfile(history, bundle.items, config.events.types, recentEmphasisOf(config), eventToneOf(config)) : undefined;
  writeBackSentiments(store, history, deps.logger);
  const exclude = new Set(opts.exclude ?? []);
  if (profile && config.recommend.excludeConsumed && !opts.includeConsumed) {
    for (const id of stillConsumed(profile.consumed, history, config, nowMs, repeatAfterDays({ care, config }))) exclude.add(id);
  }
  const blocked = new Set([...exclude, ...(profile?.negatives ?? [])]);
  const text = opts.query?.trim();
  if (text && !config.pipeline.recall.query) throw new EngineError('UNSUPPORTED', 'text queries are turned off: config pipeline.recall has no query channel');
  const query = text ? { text, vector: await embedQuery(text, deps.embeddings, textMayLeave) } : undefined;
  const provider = config.llm.rerank && profile ? providerFor(await deps.llmProvider(), textMayLeave) : undefined;
  const row = profile?.row ?? emptyRow();
  return {
    clock: deps.clock,
    logger: deps.logger,
    signal: opts.signal,
    trace: [],
    userId,
    count: opts.count ?? config.recommend.count,
    bundle,
    store,
    config,
    profile,
    history,
    row,
    cfRow: restrictRow(row, bundle.trainedItems),
    recentCfRow: profile && isRecent(profile, nowMs, config) ? restrictRow(profile.recentRow, bundle.trainedItems) : undefined,
    blocked,
    blockedIndexes: { all: toIndexes(blocked, bundle.items, bundle.items.size), trained: toIndexes(blocked, bundle.items, bundle.trainedItems) },
    query,
    textMayLeave,
    llm: provider ? { provider, deadlineMs: config.llm.deadlineMs, top: config.llm.rerankTop } : undefined,
    keepItem: opts.keepItem,
    interestPreferences: stored?.preferences,
    interests: stored?.interests,
    interestSpace: stored?.space,
    care,
    impressions,
    historyDigest: profile ? createHash('sha256').update(history.map((e) => e.id).join('\n')).digest('hex') : undefined,
  };
}
