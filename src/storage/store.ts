import type { TimeBucket } from '../core/time-buckets.js';
import type { Item, ItemId, ScoredEvent, StoredEvent, User, UserId } from '../core/types.js';

export interface HistoryOptions {
  /** Most recent first; at most this many events. */
  limit?: number;
  types?: string[];
  /** ISO-8601; only events at or after this time. */
  since?: string;
  /** Only events before this one in (timestamp, id) order: keyset paging from the newest (GET /v1/users/{id}/events). */
  before?: EventPosition;
}

/** Where an event sits in the (timestamp, id) order of the store. */
export interface EventPosition {
  /** ISO-8601. */
  timestamp: string;
  id: string;
}

/** What eventCounts counts: every event, or one item's. */
export interface EventCountsOptions {
  bucket: TimeBucket;
  itemId?: ItemId;
}

/** Events of one type in one calendar bucket (UTC, src/core/time-buckets.ts). */
export interface EventBucketCount {
  /** ISO-8601 start of the bucket: midnight UTC of the day, of the week's Monday, or of the month's first day. */
  start: string;
  type: string;
  count: number;
}

/** The time range of the stored events (or one item's). */
export interface EventSpan {
  /** ISO-8601 time of the oldest and the newest event. */
  first: string;
  last: string;
  events: number;
}

export interface ScanOptions {
  batchSize?: number;
  types?: string[];
  since?: string;
  until?: string;
}

/**
 * What happens to the bytes of deleted rows: `overwritten` (SQLite secure_delete, and the WAL truncated by a
 * checkpoint), `wal-pending` (overwritten in the database file, but the WAL could not be truncated: its old frames
 * may hold the rows until later writes overwrite them or a later erase truncates it), `until-vacuum` (PostgreSQL: dead tuples stay in the heap until VACUUM reuses their
 * space, docs/privacy.md), `released` (memory: nothing on disk).
 */
export type FreedSpace = 'overwritten' | 'wal-pending' | 'until-vacuum' | 'released';

export interface EraseReport {
  userId: UserId;
  events: number;
  user: boolean;
  /** Whether a stored interest profile existed and was deleted. */
  profile: boolean;
  /** Whether stored care preferences existed and were deleted. */
  carePreferences: boolean;
  /** Lists cached for the user in the store itself (the `store://` cache); 0 for a store without one. */
  cachedLists: number;
  freedSpace: FreedSpace;
  artifacts?: number;
}

/** One page of a listing in id order (keyset paging: `after` is the last id of the previous page). */
export interface PageOptions {
  /** Only records whose id sorts after this one; omitted for the first page. */
  after?: string;
  /** At most this many records (a positive integer). */
  limit: number;
}

export interface AddEventsResult {
  accepted: number;
  duplicates: number;
}

export interface StoreCounts {
  items: number;
  users: number;
  events: number;
}

export interface ArtifactRecord {
  name: string;
  version: number;
  createdAt: string;
  meta: Record<string, unknown>;
  blob: Uint8Array;
  /** sha256 (hex) of the blob, computed when it was saved; absent for versions stored before checksums (SQLite migration 7). */
  checksum?: string;
}

/** One stored artifact version without its blob (listing, polling). */
export interface ArtifactInfo {
  name: string;
  version: number;
  createdAt: string;
  meta: Record<string, unknown>;
  /** Size of the blob in bytes. */
  bytes: number;
  /** sha256 (hex) of the blob; absent for versions stored before checksums. */
  checksum?: string;
}

/** Stored vector for one item from one embedding provider, keyed by the hash of the text it was made from. */
export interface EmbeddingRecord {
  itemId: ItemId;
  provider: string;
  textHash: string;
  vector: Float32Array;
}

/** One recall channel's budget override in a scenario; fields left out keep the configured value. */
export interface ScenarioChannelBudget {
  quota?: number;
  pad?: number;
  deadlineMs?: number;
}

/**
 * A named, stored set of request rules (`home`, `item-page`, `email`): a filter expression, a list length and recall
 * quota overrides (docs/filters.md, "Scenarios"). The store keeps it as given; the engine validates it on write.
 */
export interface Scenario {
  /** 1–64 characters, `[a-z0-9][a-z0-9_-]*`. */
  name: string;
  filter?: string;
  count?: number;
  /** Channel name -> budget override. */
  recall?: Record<string, ScenarioChannelBudget>;
  /** Care settings for the scenario's requests (docs/care.md): setting -> number or boolean; a request's own and the user's preferences win. */
  care?: Record<string, number | boolean>;
  description?: string;
}

/**
 * A user's stored interest profile: its state is a JSON object whose shape src/interests/profile-state.ts owns (the
 * store keeps it as given, like a scenario). Written on every event that changes it; erased with the user.
 */
export interface ProfileRecord {
  userId: UserId;
  /** Plain JSON data (objects, arrays, strings, finite numbers, booleans, null). */
  state: Record<string, unknown>;
}

/**
 * A user's stored care preferences (docs/care.md, "Preferences and scenarios"): setting -> value (numbers and
 * booleans; the engine checks names and ranges, src/care/care-settings.ts). Erased with the user.
 */
export interface CarePreferencesRecord {
  userId: UserId;
  preferences: Record<string, number | boolean>;
}

/**
 * A write session that is all-or-nothing: nothing written through it is visible to readers (or survives a crash)
 * until `commit()`. Used by imports so that `--on-error abort` and a killed process leave the store as it was.
 */
export interface BulkWriter {
  upsertItems(items: Item[]): Promise<void>;
  upsertUsers(users: User[]): Promise<void>;
  addEvents(events: ScoredEvent[]): Promise<AddEventsResult>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** The score of one stored event's text (care/sentiment.ts). */
export interface EventSentiment {
  id: string;
  sentiment: number;
}

/** The system of record. Every adapter passes `storeConformanceSuite` in src/testkit. */
export interface Store {
  readonly kind: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * Resolves when the store can serve reads and writes; throws STORE_UNAVAILABLE or STORE_CORRUPT (EngineError) when
   * not, e.g. the database file was deleted under a running server. Cheap enough for a probe polled every second.
   */
  health(): Promise<void>;

  upsertItems(items: Item[]): Promise<void>;
  upsertUsers(users: User[]): Promise<void>;
  /** Found items, in the order of `ids`; unknown ids are skipped. */
  getItems(ids: ItemId[]): Promise<Item[]>;
  getUser(id: UserId): Promise<User | undefined>;
  /** Removes the item and its events. Returns false when it did not exist. */
  deleteItem(id: ItemId): Promise<boolean>;

  /** Atomic and idempotent by event id: a batch is written whole or not at all; known ids count as duplicates. */
  addEvents(events: ScoredEvent[]): Promise<AddEventsResult>;
  /**
   * Stores the sentiment of events stored without one (before SQLite migration 6), as the engine scores them on
   * first read: only rows that have text and no score yet are written, and entries outside −1..1 are ignored.
   * Returns how many rows it set.
   */
  setEventSentiments(scores: readonly EventSentiment[]): Promise<number>;
  /** A user's events, newest first. */
  history(userId: UserId, opts?: HistoryOptions): Promise<StoredEvent[]>;
  /**
   * Deletes one user's events on one item, of the given types (all types when omitted), and returns how many: how a
   * user takes back feedback (docs/care.md). Other users' events and other items are untouched.
   */
  deleteEvents(userId: UserId, match: { itemId: ItemId; types?: string[] }): Promise<number>;
  /** The oldest and newest event time and the event count, of every event or of one item's; undefined when there are none. */
  eventSpan(opts?: { itemId?: ItemId }): Promise<EventSpan | undefined>;
  /**
   * Events per calendar bucket (UTC) and type, of every event or of one item's, grouped in the store (never by
   * reading the events out): sorted by start, then type; buckets without events are left out.
   */
  eventCounts(opts: EventCountsOptions): Promise<EventBucketCount[]>;
  /** All events in (timestamp, id) order, in batches. */
  scanEvents(opts?: ScanOptions): AsyncIterable<StoredEvent[]>;
  scanItems(opts?: { batchSize?: number }): AsyncIterable<Item[]>;
  scanUsers(opts?: { batchSize?: number }): AsyncIterable<User[]>;
  /** One page of items in id order, starting after `opts.after` (writes between pages neither repeat nor skip rows). */
  listItems(opts: PageOptions): Promise<Item[]>;
  /** One page of users in id order, starting after `opts.after`. */
  listUsers(opts: PageOptions): Promise<User[]>;
  counts(): Promise<StoreCounts>;
  /** How many items are stored: counts().items without counting the events (a scan of millions of rows on SQLite). */
  itemCount(): Promise<number>;

  bulk(): Promise<BulkWriter>;

  /** Deletes the user, their events and anything derived from them that the store holds. */
  eraseUser(id: UserId): Promise<EraseReport>;
  purgeEventsBefore(cutoff: Date): Promise<number>;

  /** Versioned model artifacts: every server loads the same version. Returns the new version number. */
  saveArtifact(name: string, blob: Uint8Array, meta?: Record<string, unknown>): Promise<number>;
  /**
   * The given version, or the latest when omitted. A blob that no longer matches the checksum stored with it is
   * refused with EngineError STORE_CORRUPT (a damaged model is never served).
   */
  loadArtifact(name: string, version?: number): Promise<ArtifactRecord | undefined>;
  /** Versions of an artifact without their blobs, newest first; `limit: 1` is the cheap "latest version" poll. */
  listArtifacts(name: string, opts?: { limit?: number }): Promise<ArtifactInfo[]>;
  /**
   * Deletes the given versions of an artifact and returns how many it deleted. The newest version is always kept (it
   * is skipped when listed), so version numbers are never reused.
   */
  deleteArtifacts(name: string, versions: number[]): Promise<number>;

  /** Creates or replaces the scenario of that name (the whole record: fields left out are cleared). */
  putScenario(scenario: Scenario): Promise<void>;
  getScenario(name: string): Promise<Scenario | undefined>;
  /** Every scenario, in name order. */
  listScenarios(): Promise<Scenario[]>;
  /** Returns false when it did not exist. */
  deleteScenario(name: string): Promise<boolean>;

  /** Creates or replaces the user's stored interest profile (the whole record). */
  putProfile(record: ProfileRecord): Promise<void>;
  getProfile(userId: UserId): Promise<ProfileRecord | undefined>;
  /** Returns false when there was none. */
  deleteProfile(userId: UserId): Promise<boolean>;

  /** Creates or replaces the user's stored care preferences (the whole record). */
  putCarePreferences(record: CarePreferencesRecord): Promise<void>;
  getCarePreferences(userId: UserId): Promise<CarePreferencesRecord | undefined>;
  /** Returns false when there were none. */
  deleteCarePreferences(userId: UserId): Promise<boolean>;

  /**
   * A named lease in the database (the trainer lock: one trainer among many processes): takes it when it is free or
   * expired, renews it when `holder` already holds it, and returns whether `holder` holds it now, for `ttlMs` from now.
   */
  tryLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `holder` holds it (otherwise does nothing). */
  releaseLease(name: string, holder: string): Promise<void>;

  putEmbeddings(records: EmbeddingRecord[]): Promise<void>;
  /** Embeddings of a provider for the given items (all items when omitted). */
  getEmbeddings(provider: string, itemIds?: ItemId[]): Promise<EmbeddingRecord[]>;
}
