import type { ImpressionList, ImpressionsReport } from './care/impressions.js';
import type { KindredConfig } from './config/config.js';
import type { Event, Item, ItemId, Recommendation, User, UserId } from './core/types.js';
import type { ProfileChange } from './interests/profile-preferences.js';
import type { InterestProfile } from './interests/profile-types.js';
import type { PrecomputeReport } from './jobs/materializer.js';
import type { TuningRecord } from './jobs/main-model-choice.js';
import type { ModelVersion } from './jobs/serving.js';
import type { StageTrace } from './pipeline/stage.js';
import type { CareOverride } from './care/care-strength.js';
import type { Cache } from './storage/cache.js';
import type { Page } from './storage/paging.js';
import type { AddEventsResult, EraseReport, PageOptions, Scenario, Store, StoreCounts } from './storage/store.js';

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
  /** This request's care strengths, each 0..1, over config `care` (docs/care.md): diversity, calibration, novelty, qualityFloor. */
  care?: CareOverride;
  signal?: AbortSignal;
}

export interface RecommendResult {
  userId?: UserId;
  items: Recommendation[];
  /** False when the user is unknown or has not consented to personalisation (popular items are served). */
  personalised: boolean;
  /** Said when a text query matched fewer items well than asked for ("Nothing matched your search well."). */
  notice?: string;
  model?: { name: string; version: number };
  trace: StageTrace[];
}

export interface SimilarOptions {
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

export interface EngineStatus {
  counts: StoreCounts;
  model?: { name: string; version: number; trainedAt: string };
}

/** The engine facade used by the library, the CLI and the HTTP server alike. */
export interface Engine {
  readonly config: KindredConfig;
  readonly store: Store;
  readonly cache: Cache;
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
   * it; a different one fails with CONFLICT naming the running job's id.
   */
  train(opts?: TrainOptions): Promise<TrainReport>;
  /** Stored model versions with their training report, the served and the pinned one. */
  models(): Promise<ModelsReport>;
  /**
   * Pins a stored version (every engine on the store serves it within models.pollSeconds), or `'latest'` to unpin
   * and serve the newest again. Throws NOT_FOUND for a version the store does not hold.
   */
  rollbackModel(to: number | 'latest'): Promise<ModelsReport>;
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
  eraseUser(id: UserId): Promise<EraseReport>;
  status(): Promise<EngineStatus>;
  /** Resolves when the store can serve; throws STORE_UNAVAILABLE or STORE_CORRUPT (EngineError) when it cannot. */
  health(): Promise<void>;
  close(): Promise<void>;
}
