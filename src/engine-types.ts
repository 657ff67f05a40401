import type { KindredConfig } from './config/config.js';
import type { Event, Item, ItemId, Recommendation, User, UserId } from './core/types.js';
import type { StageTrace } from './pipeline/stage.js';
import type { Cache } from './storage/cache.js';
import type { AddEventsResult, EraseReport, Store, StoreCounts } from './storage/store.js';

export interface RecommendOptions {
  /** List length (default config recommend.count). */
  count?: number;
  /** Item ids never to return in this list. */
  exclude?: ItemId[];
  /** Allow items the user already interacted with. */
  includeConsumed?: boolean;
  /** Free-text query blended with the user's interests (needs an embedding provider). */
  query?: string;
  signal?: AbortSignal;
}

export interface RecommendResult {
  userId?: UserId;
  items: Recommendation[];
  /** False when the user is unknown or has not consented to personalisation (popular items are served). */
  personalised: boolean;
  model?: { name: string; version: number };
  trace: StageTrace[];
}

export interface SimilarOptions {
  count?: number;
  exclude?: ItemId[];
}

export interface SimilarResult {
  itemId: ItemId;
  items: Recommendation[];
  trace: StageTrace[];
}

export interface TrainOptions {
  model?: string;
  params?: Record<string, unknown>;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface TrainReport {
  model: string;
  version: number;
  seconds: number;
  users: number;
  items: number;
  interactions: number;
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
  upsertItems(items: Item[]): Promise<{ upserted: number }>;
  upsertUsers(users: User[]): Promise<{ upserted: number }>;
  addEvents(events: Event[]): Promise<AddEventsResult>;
  /** Throws EngineError NOT_FOUND for an unknown id. */
  deleteItem(id: ItemId): Promise<void>;
  getItem(id: ItemId): Promise<Item>;
  train(opts?: TrainOptions): Promise<TrainReport>;
  /**
   * A user's list; `undefined` for an anonymous request (popular items, or the items matching `opts.query`).
   * With a query and a known user, the query is blended with the user's interests.
   */
  recommend(userId: UserId | undefined, opts?: RecommendOptions): Promise<RecommendResult>;
  /** Throws EngineError NOT_FOUND for an unknown item. */
  similar(itemId: ItemId, opts?: SimilarOptions): Promise<SimilarResult>;
  eraseUser(id: UserId): Promise<EraseReport>;
  status(): Promise<EngineStatus>;
  /** Resolves when the store can serve; throws STORE_UNAVAILABLE or STORE_CORRUPT (EngineError) when it cannot. */
  health(): Promise<void>;
  close(): Promise<void>;
}
