import type { ImpressionList, ImpressionsReport } from './care/impressions.js';
import type { FeedbackEntry, FeedbackInput, FeedbackList, FeedbackRemoval } from './care/feedback.js';
import type { KindredConfig } from './config/config.js';
import type { Event, Item, ItemId, Recommendation, User, UserId } from './core/types.js';
import type { ProfileChange } from './interests/profile-preferences.js';
import type { InterestProfile } from './interests/profile-types.js';
import type { PrecomputeReport } from './jobs/materializer.js';
import type { TuningRecord } from './jobs/main-model-choice.js';
import type { ModelVersion } from './jobs/serving.js';
import type { StageTrace } from './pipeline/stage.js';
import type { SimilarBasis } from './pipeline/stages/similar/similar-context.js';
import type { LocalHistoryEntry } from './privacy/on-device/local-history.js';
import type { HistoryScore } from './privacy/on-device/model-snapshot.js';
import type { ModelSnapshot } from './privacy/on-device/snapshot-format.js';
import type { WhyResult } from './pipeline/why.js';
import type { ItemMovement } from './pipeline/movement.js';
import type { CarePreferencesPatch, CarePreferencesView } from './care/care-preferences.js';
import type { CareOverride } from './care/care-strength.js';
import type { Page } from './storage/paging.js';
import type { AddEventsResult, PageOptions, Scenario, StoreCounts } from './storage/store.js';
import type { EraseReceipt } from './privacy/erase-receipt.js';
import type { UserExport } from './privacy/user-export.js';
import type { PurgeReport } from './privacy/retention.js';
import type { TimeBucket } from './core/time-buckets.js';
import type { EventTimeline, ItemExposure } from './stats/event-timeline.js';
import type { ProviderHealth } from './stats/provider-calls.js';
import type { UserEventsOptions, UserEventsPage } from './stats/user-events.js';

/** What POST /v1/train answers (202) on an API server: the job reference of the queued request. */
export interface QueuedTraining {
  /** The trained version records it in its meta (`meta.jobId`, GET /v1/models). */
  jobId: string;
  queuedAt: string;
  status: 'queued';
}

export interface RecommendOptions {
  /** List length (default config recommend.count). */
  count?: number;
  /** Item ids never to return in this list. */
  exclude?: ItemId[];
  /** Allow items the user already interacted with. */
  includeConsumed?: boolean;
  /** Free-text query blended with the user's interests (needs an embedding provider). */
  query?: string;
  /** Keep only items matching this filter expression, e.g. 'price < 50 and in_stock = true' (docs/filters.md). */
  filter?: string;
  /** A stored scenario's name: its filter (and-ed with `filter`), list length (unless `count` is given) and recall quotas apply. */
  scenario?: string;
  /**
   * This request's care settings over config `care` (docs/care.md): strengths 0..1 (diversity, calibration, novelty,
   * qualityFloor), gentle, and the fatigue, repeat and budget knobs in their config ranges. Each key set here wins over
   * the user's stored preferences and the scenario's care; a request with any of them is computed live.
   */
  care?: CareOverride;
  /**
   * Add one sentence per item from the LLM provider (Recommendation.explanation), built from the structured reasons,
   * within config llm.deadlineMs; on timeout or error the reasons stand alone and the trace says degraded. Without a
   * provider (llm.provider none) it does nothing.
   */
  explain?: boolean;
  /**
   * Add `moves`: each shown item's fused place and the re-rank stages that moved it, and the items a stage removed
   * (computed live, never served from the list cache). Off by default: the normal response stays as it was.
   */
  moves?: boolean;
  signal?: AbortSignal;
}

export interface RecommendResult {
  userId?: UserId;
  items: Recommendation[];
  /** False when the user is unknown or has not consented to personalisation (popular items are served). */
  personalised: boolean;
  /** Said when a text query matched fewer items well than asked for ("Nothing matched your search well."). */
  notice?: string;
  /**
   * A user's answer with items: an opaque signed token naming the user, these items and the time; post it back
   * (`recordImpressionToken`, `POST /v1/impressions` `{ token }`) once the list was shown, within
   * care.impressionTokenHours (docs/care.md). Absent for anonymous answers, empty lists, or with tokens off.
   */
  impressionToken?: string;
  model?: { name: string; version: number };
  trace: StageTrace[];
  /** With `moves: true`: the shown items' passage through fusion and the re-rank stages, then the items a stage removed. */
  moves?: ItemMovement[];
}

export interface SimilarOptions {
  /**
   * Only this basis: `collaborative` (the collaborative model's neighbours; CONFLICT for an item it was not trained on,
   * UNSUPPORTED when the served models have no item neighbours), `text` (the semantic channel's index of item text
   * embeddings; UNSUPPORTED without one, CONFLICT for an item not in it). Default: the first that knows the item,
   * then popular items.
   */
  by?: SimilarBasis;
  count?: number;
  exclude?: ItemId[];
  /** Keep only items matching this filter expression (docs/filters.md). */
  filter?: string;
  /** A stored scenario's name: its filter (and-ed with `filter`) and list length (unless `count` is given) apply. */
  scenario?: string;
}

export interface SimilarResult {
  itemId: ItemId;
  items: Recommendation[];
  trace: StageTrace[];
}

export interface TrainOptions {
  model?: string;
  params?: Record<string, unknown>;
  /**
   * Choose the main model and its params on a validation split of the store's data, then fit on all of it. Without
   * `model` the candidates are ease, als and itemknn; with it only that model's params are searched (`params` fixed).
   */
  tune?: boolean;
  /** Tuning budget in seconds (search and final fit), default 120. Only with `tune`. */
  budgetSeconds?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** The job id to report and record in the version's meta (the trainer passes a queued request's id); a fresh one when omitted. */
  jobId?: string;
}

export interface TrainReport {
  /** Identifies the run: requests that joined it get the same id, a conflicting request is told this id. */
  jobId: string;
  model: string;
  version: number;
  seconds: number;
  users: number;
  items: number;
  interactions: number;
  /** With `tune`: how the model was chosen (validation metrics, trials per model). */
  tuning?: TuningRecord;
}

/** A bulk upsert's answer: records written, and how many were merged into a later record with the same id. */
export interface UpsertResult {
  /** Distinct ids written. */
  upserted: number;
  /** Records of the request replaced by a later one with the same id (the last one wins). */
  merged: number;
}

/** addEvents' answer: the store's counts plus what was deduplicated inside the request itself. */
export interface AddEventsReport extends AddEventsResult {
  /** Events of the request whose id repeated an earlier event of the same request, with the same content. */
  repeats: number;
  /** Events of the request whose id repeated an earlier one with different content; the first one is kept. */
  conflicts: number;
}

export type { Page } from './storage/paging.js';
export type { WhyResult, WhyVerdict, WhyMove } from './pipeline/why.js';
export type { ItemMovement, StageMove } from './pipeline/movement.js';
export type { SimilarBasis } from './pipeline/stages/similar/similar-context.js';

/** The stored model versions and which one this engine serves (`GET /v1/models`, `kindred models`). */
export interface ModelsReport {
  /** The version this engine serves; null before the first training. */
  serving: number | null;
  /** The version an operator pinned with a rollback; null when the newest version is served. */
  pinned: number | null;
  /** The training run in progress in this engine, if any. */
  training: { jobId: string; model: string } | null;
  /** Newest first. */
  versions: ModelVersion[];
}

/** Options of engine.precomputeLists. */
export interface PrecomputeRequest {
  /** Users with an event in this many days are left to be computed live (default config pipeline.precomputeInactiveDays). */
  inactiveDays?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** GET /v1/stats/serving, the engine's part: providers (from their recent calls) and the store. */
export interface ServiceHealth {
  providers: {
    /** null when embeddings.provider is none. */
    embedding: ProviderHealth | null;
    /** null when llm.provider is none. */
    llm: ProviderHealth | null;
  };
  /** `ok` from the store's cheap health check (as /healthz); `error` is its code when not ok. */
  store: { kind: string; ok: boolean; error?: string };
}

export interface EngineStatus {
  counts: StoreCounts;
  model?: { name: string; version: number; trainedAt: string };
}

/** The engine facade used by the library, the CLI and the HTTP server alike. */
export interface Engine {
  readonly config: KindredConfig;
  /** Validates (EngineError INVALID_INPUT with path/row) then writes all or nothing. */
  upsertItems(items: Item[]): Promise<UpsertResult>;
  upsertUsers(users: User[]): Promise<UpsertResult>;
  /** Idempotent by event id; ids repeated inside the batch are written once (see AddEventsReport). */
  addEvents(events: Event[]): Promise<AddEventsReport>;
  /**
   * Records that these items were shown to the user (`impression` events at `at`, default now), for the fatigue
   * stage (docs/care.md). Idempotent for the same user, items and time. INVALID_INPUT naming the field.
   */
  recordImpressions(userId: UserId, itemIds: ItemId[], at?: string | Date): Promise<ImpressionsReport>;
  /** recordImpressions for several shown lists at once, all or nothing. */
  recordImpressionLists(lists: ImpressionList[]): Promise<ImpressionsReport>;
  /**
   * The user says "not interested" in an item or "show less like this" (docs/care.md, "Negative feedback"): stored as a
   * not_interested / show_less event; from the next request the item is not shown, and the negative-feedback stage
   * demotes its neighbours (show-less) and categories or tags turned down care.negativeRepeat times. Returns the
   * entry as listFeedback shows it. INVALID_INPUT naming the field, NOT_FOUND for an unknown item.
   *
   * @example await engine.feedback('u1', { kind: 'show-less', itemId: 'i7' })
   */
  feedback(userId: UserId, input: FeedbackInput): Promise<FeedbackEntry>;
  /** The user's negative feedback per item, newest first, with what each currently does (item removed, category demoted...). */
  listFeedback(userId: UserId): Promise<FeedbackList>;
  /**
   * Takes feedback back: deletes every negative event of the user on the item, so the item, its neighbours and its
   * categories come back on the next request. NOT_FOUND when the user gave none on it.
   */
  deleteFeedback(userId: UserId, itemId: ItemId): Promise<FeedbackRemoval>;
  /**
   * Records the list a recommendation answer's `impressionToken` stands for, at the answer's time (idempotent: the same
   * token twice writes nothing new). INVALID_INPUT (path /token) for a token this engine's secret did not sign or one
   * older than care.impressionTokenHours; UNSUPPORTED when tokens are off.
   */
  recordImpressionToken(token: string): Promise<ImpressionsReport>;
  /** Throws EngineError NOT_FOUND for an unknown id. */
  deleteItem(id: ItemId): Promise<void>;
  getItem(id: ItemId): Promise<Item>;
  /** Throws EngineError NOT_FOUND for an unknown user. */
  getUser(id: UserId): Promise<User>;
  /** Items in id order, one page at a time (`after`: the previous page's `after`). */
  listItems(opts: PageOptions): Promise<Page<Item>>;
  listUsers(opts: PageOptions): Promise<Page<User>>;
  /**
   * Fits and publishes a new model version. A request equal to the run in progress (same model and params) joins
   * it; a different one fails with CONFLICT naming the running job's id. The fit holds the store's `trainer` lease
   * (config trainer.leaseSeconds), so while another process on the store trains it fails with CONFLICT (details.lease).
   */
  train(opts?: TrainOptions): Promise<TrainReport>;
  /**
   * Stores a training request for the trainer process instead of fitting here (what `POST /v1/train` does on a
   * `serve --role api` server, docs/deploy.md): answers its job id at once; the trained version records it in
   * `meta.jobId`. INVALID_INPUT for bad options, as `train`.
   */
  queueTraining(opts?: TrainOptions): Promise<QueuedTraining>;
  /** Stored model versions with their training report, the served and the pinned one. */
  models(): Promise<ModelsReport>;
  /**
   * Pins a stored version (every engine on the store serves it within models.pollSeconds), or `'latest'` to unpin
   * and serve the newest again. Throws NOT_FOUND for a version the store does not hold.
   */
  rollbackModel(to: number | 'latest'): Promise<ModelsReport>;
  /**
   * The served main model's on-device snapshot (docs/privacy.md, "On-device personalisation"): item-side state only,
   * for `kindred/on-device`. NOT_TRAINED before the first model; CONFLICT while the main model is not als, bpr or itemknn.
   */
  modelSnapshot(): ModelSnapshot;
  /**
   * The served main model's top `k` for a history (consumed items excluded): what an on-device scorer of the same
   * model version returns. The main model alone, without fusion, care re-ranking or filters.
   */
  scoreHistory(history: readonly LocalHistoryEntry[], k: number): HistoryScore[];
  /**
   * A user's list; `undefined` for an anonymous request (popular items, or the items matching `opts.query`).
   * With a query and a known user, the query is blended with the user's interests.
   */
  recommend(userId: UserId | undefined, opts?: RecommendOptions): Promise<RecommendResult>;
  /**
   * Computes the default list of every inactive user the served model knows into the cache (see
   * pipeline.precompute); active users are computed live. NOT_TRAINED before the first training.
   */
  precomputeLists(opts?: PrecomputeRequest): Promise<PrecomputeReport>;
  /**
   * The user's stored interest profile (long/short-term interest, clustered interests with stable ids, labels, mutes
   * and boosts, drift): built from their history on first use, then updated by every event. NOT_FOUND for a user with
   * neither a record nor events; NOT_TRAINED before the first training.
   */
  profile(userId: UserId): Promise<InterestProfile>;
  /**
   * Mutes, boosts or resets the user's interests (ids from `profile`); the next recommendation honours it. INVALID_INPUT
   * naming the path for an unknown interest id or a bad value; UNSUPPORTED without item vectors to place items in.
   *
   * @example await engine.updateProfile('u1', { interests: [{ id: '2', mute: true }, { id: '1', boost: 1.5 }] })
   */
  updateProfile(userId: UserId, change: ProfileChange): Promise<InterestProfile>;
  /**
   * "Why am I seeing this?": the user's list computed live with the same options as `recommend`, and where the item
   * stands in it: its place, the channels that recalled it, its fused place, each re-rank stage that moved it, its
   * reasons; or what kept it out (consumed, not interested, unavailable, filtered, removed by a stage, below the cut,
   * not recalled). NOT_FOUND for an unknown user (no record, no events) or item.
   *
   * @example const why = await engine.why('u1', 'i7', { care: { diversity: 0.8 } }) // why.moves: [{ stage: 'diversity', from: 9, to: 3, does: '...' }]
   */
  why(userId: UserId, itemId: ItemId, opts?: RecommendOptions): Promise<WhyResult>;
  /**
   * The user's stored care preferences (docs/care.md, "Preferences and scenarios") and the interests they muted in
   * their profile. NOT_FOUND for a user with neither a record nor events.
   */
  carePreferences(userId: UserId): Promise<CarePreferencesView>;
  /**
   * Changes the user's stored care preferences: a value sets a key, null clears it, a key left out keeps its value
   * (`replace: true`: exactly these). Their next requests use them under a request's own settings and over the
   * scenario's and config. INVALID_INPUT naming the key; NOT_FOUND for a user with neither a record nor events.
   *
   * @example await engine.setCarePreferences('u1', { diversity: 0.4, repeatAfterDays: 30, gentle: null })
   */
  setCarePreferences(userId: UserId, patch: CarePreferencesPatch, opts?: { replace?: boolean }): Promise<CarePreferencesView>;
  /** Throws EngineError NOT_FOUND for an unknown item. */
  similar(itemId: ItemId, opts?: SimilarOptions): Promise<SimilarResult>;
  /**
   * Creates or replaces a scenario (docs/filters.md, "Scenarios"): INVALID_INPUT for a bad name, field or filter (a
   * filter error keeps its position). Takes effect on this process's next request, within 2 s on other processes.
   */
  putScenario(scenario: Scenario): Promise<Scenario>;
  /** Throws EngineError NOT_FOUND (field `scenario`) for an unknown name. */
  getScenario(name: string): Promise<Scenario>;
  /** Every stored scenario, in name order. */
  listScenarios(): Promise<Scenario[]>;
  /** Throws EngineError NOT_FOUND (field `scenario`) for an unknown name. */
  deleteScenario(name: string): Promise<void>;
  /**
   * Deletes the user's record, events, interest profile, care preferences and cached lists, and older model versions
   * trained on them; the receipt names the kept versions that still hold their influence (docs/privacy.md).
   */
  eraseUser(id: UserId): Promise<EraseReceipt>;
  /** Everything stored about the user, as JSON; EngineError NOT_FOUND when nothing is. */
  exportUser(id: UserId): Promise<UserExport>;
  /**
   * Deletes events older than config privacy.retentionDays (none when 0), with the care of an erase, and drops cached
   * lists when anything went (docs/privacy.md, "Retention"). The trainer role runs it on its schedule.
   */
  purgeExpired(): Promise<PurgeReport>;
  status(): Promise<EngineStatus>;
  /**
   * Events per day, week or month from the oldest to the newest stored event (GET /v1/stats/events); without
   * `bucket` the finest giving at most 400 buckets. INVALID_INPUT when a bucket asked for gives more than 20,000.
   */
  eventStats(opts?: { bucket?: TimeBucket }): Promise<EventTimeline>;
  /** An item's impressions and other events per bucket over its first..last event; NOT_FOUND for an unknown item. */
  itemExposure(itemId: ItemId, opts?: { bucket?: TimeBucket }): Promise<ItemExposure>;
  /** One page of the user's events, newest first (`before`: the previous page's `next`); NOT_FOUND for an unknown user. */
  userEvents(userId: UserId, opts?: UserEventsOptions): Promise<UserEventsPage>;
  /** Provider health from their recent calls (never a call made to check) and the store's health. */
  serviceHealth(): Promise<ServiceHealth>;
  /** Resolves when the store can serve; throws STORE_UNAVAILABLE or STORE_CORRUPT (EngineError) when it cannot. */
  health(): Promise<void>;
  close(): Promise<void>;
}
