/**
 * Typed client for the Kindred HTTP API, published as `kindred/client`. Browser- and Node-safe: it uses `fetch` and
 * imports types only (never the server), so bundling it pulls in nothing else.
 */
import type { FeedbackEntry, FeedbackInput, FeedbackList, FeedbackRemoval } from '../care/feedback.js';
import type { CarePreferencesPatch, CarePreferencesView } from '../care/care-preferences.js';
import type { CareOverride } from '../care/care-strength.js';
import type { ImpressionList, ImpressionsReport } from '../care/impressions.js';
import type { ErrorCode, ErrorDetails } from '../core/errors.js';
import type { Event, Item, ItemId, StoredEvent, User, UserId } from '../core/types.js';
import type { TimeBucket } from '../core/time-buckets.js';
import type {
  AddEventsReport, EngineStatus, ModelsReport, RecommendResult, ServiceHealth, SimilarBasis, SimilarResult, TrainReport, UpsertResult, WhyResult,
} from '../engine-types.js';
import type { SavedReportInfo } from '../eval/report/saved-reports.js';
import type { EvalResult } from '../eval/result.js';
import type { EventTimeline, ItemExposure } from '../stats/event-timeline.js';
import type { RouteLatencyReport } from './route-latency.js';
import type { ProfileChange } from '../interests/profile-preferences.js';
import type { InterestProfile } from '../interests/profile-types.js';
import type { EraseReceipt } from '../privacy/erase-receipt.js';
import type { UserExport } from '../privacy/user-export.js';
import type { Scenario } from '../storage/store.js';

export interface ClientOptions {
  /** e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Custom fetch (tests, proxies, retries); default globalThis.fetch. */
  fetch?: typeof fetch;
}

export interface ClientRecommendOptions {
  count?: number;
  exclude?: ItemId[];
  query?: string;
  includeConsumed?: boolean;
  /** Filter expression (docs/filters.md), e.g. 'price < 50 and in_stock = true'. */
  filter?: string;
  /** A stored scenario's name (docs/filters.md, "Scenarios"). */
  scenario?: string;
  /** This request's care settings (docs/care.md): strengths 0..1, gentle mode, and the fatigue and repeat knobs in their config ranges. */
  care?: Pick<CareOverride, 'diversity' | 'calibration' | 'qualityFloor' | 'novelty' | 'gentle' | 'fatigueAfter' | 'fatigueDecay' | 'impressionCap' | 'cooldownHours' | 'repeatAfterDays'>;
  /** One sentence per item from the server's LLM provider (Recommendation.explanation); nothing without one. */
  explain?: boolean;
  /** Add `moves`: the re-rank stages that moved each shown item, and the items a stage removed. */
  moves?: boolean;
  signal?: AbortSignal;
}

export interface ClientSimilarOptions {
  /** Only neighbours by `collaborative` (who chose them) or `text` (item text embeddings); 409/501 when that basis is not available. */
  by?: SimilarBasis;
  count?: number;
  exclude?: ItemId[];
  /** Filter expression (docs/filters.md). */
  filter?: string;
  /** A stored scenario's name. */
  scenario?: string;
  signal?: AbortSignal;
}

export interface ClientTrainOptions {
  model?: string;
  params?: Record<string, unknown>;
  /** Choose the model and params on a validation split (POST /v1/train `tune`). */
  tune?: boolean;
  budgetSeconds?: number;
}

export interface ClientPageOptions {
  /** Page size, 1-1000 (server default 100). */
  limit?: number;
  /** `next` of the previous page. */
  cursor?: string;
}

export interface ClientUserEventsOptions extends ClientPageOptions {
  /** Only these event types. */
  types?: string[];
}

/** GET /v1/stats/serving. */
export interface ServingStats extends ServiceHealth {
  since: string;
  /** Answers kept per route. */
  window: number;
  routes: RouteLatencyReport[];
}

export interface KindredClient {
  /** An id sent twice in one call keeps its last version (counted in `merged`). */
  upsertItems(items: Item[]): Promise<UpsertResult>;
  upsertUsers(users: User[]): Promise<UpsertResult>;
  /** All or nothing; re-sending events with the same ids counts them as duplicates; repeats inside one call are written once. */
  addEvents(events: Event[]): Promise<AddEventsReport>;
  /**
   * Records the items shown to users (POST /v1/impressions; docs/care.md): one list, several, or `{ token }` (a
   * recommendation answer's `impressionToken`); idempotent per user, item and timestamp.
   */
  recordImpressions(lists: ImpressionList | ImpressionList[] | { token: string }): Promise<ImpressionsReport>;
  /** Items in id order; pass `next` back as `cursor` until it is absent. */
  listItems(opts?: ClientPageOptions): Promise<{ items: Item[]; next?: string }>;
  listUsers(opts?: ClientPageOptions): Promise<{ users: User[]; next?: string }>;
  getUser(id: UserId): Promise<User>;
  /** Erases the user's record, events, profile, preferences and cached lists; answers the receipt; 404 (KindredHttpError) when nothing existed. */
  eraseUser(id: UserId): Promise<EraseReceipt>;
  /** Everything stored about the user; 404 (KindredHttpError) when nothing is. */
  exportUser(id: UserId): Promise<UserExport>;
  /** The user's interest profile; 404 (KindredHttpError) for a user with neither a record nor events. */
  profile(userId: UserId): Promise<InterestProfile>;
  /** Mutes, boosts or resets interests (ids from `profile`); 400 for an unknown interest id. */
  updateProfile(userId: UserId, change: ProfileChange): Promise<InterestProfile>;
  /** The user's stored care preferences and muted interests; 404 (KindredHttpError) for a user with neither a record nor events. */
  carePreferences(userId: UserId): Promise<CarePreferencesView>;
  /** Replaces the user's care preferences (PUT): keys left out go back to config. */
  putCarePreferences(userId: UserId, preferences: CareOverride): Promise<CarePreferencesView>;
  /** Changes some care preferences (PATCH): a value sets a key, null clears it; 400 naming a bad or unknown key. */
  updateCarePreferences(userId: UserId, patch: CarePreferencesPatch): Promise<CarePreferencesView>;
  /** Unknown users get popular items with `personalised: false`. */
  /** POST /v1/users/{id}/feedback: "not interested" or "show less like this" on an item (`at` an ISO-8601 time). */
  feedback(userId: UserId, input: Omit<FeedbackInput, 'at'> & { at?: string }): Promise<FeedbackEntry>;
  /** GET /v1/users/{id}/feedback: what the user said, newest first, with what each piece does now. */
  listFeedback(userId: UserId): Promise<FeedbackList>;
  /** DELETE /v1/users/{id}/feedback/{itemId}: takes it back. */
  deleteFeedback(userId: UserId, itemId: ItemId): Promise<FeedbackRemoval>;
  recommend(userId: UserId, opts?: ClientRecommendOptions): Promise<RecommendResult>;
  /**
   * Why an item is (or is not) in the user's list made with these options: its place, channels, the stages that moved
   * it, its reasons, or what kept it out; 404 (KindredHttpError) for an unknown user or item. `explain` is ignored.
   */
  why(userId: UserId, itemId: ItemId, opts?: ClientRecommendOptions): Promise<WhyResult>;
  /** Items matching a free-text query, for anyone (the server needs an embedding provider). */
  search(query: string, opts?: ClientSimilarOptions): Promise<RecommendResult>;
  similar(itemId: ItemId, opts?: ClientSimilarOptions): Promise<SimilarResult>;
  getItem(id: ItemId): Promise<Item>;
  deleteItem(id: ItemId): Promise<void>;
  /** Creates or replaces a scenario; a bad filter is a 400 KindredHttpError with `details.position`. */
  putScenario(scenario: Scenario): Promise<Scenario>;
  getScenario(name: string): Promise<Scenario>;
  listScenarios(): Promise<Scenario[]>;
  deleteScenario(name: string): Promise<void>;
  train(opts?: ClientTrainOptions): Promise<TrainReport>;
  /** Stored model versions with their training report, the served and the pinned one (GET /v1/models). */
  models(): Promise<ModelsReport>;
  status(): Promise<EngineStatus>;
  /** Events per day, week or month over the store's oldest..newest event (admin). */
  eventStats(opts?: { bucket?: TimeBucket }): Promise<EventTimeline>;
  /** An item's impressions and other events over time (admin); 404 for an unknown item. */
  itemExposure(itemId: ItemId, opts?: { bucket?: TimeBucket }): Promise<ItemExposure>;
  /** A user's events, newest first, one page at a time (admin); pass `next` back as `cursor`; 404 for an unknown user. */
  userEvents(userId: UserId, opts?: ClientUserEventsOptions): Promise<{ events: StoredEvent[]; next?: string }>;
  /** This server's answer times per route and its providers' and store's health (admin). */
  servingStats(): Promise<ServingStats>;
  /** Saved evaluation reports (kindred eval --save), newest first (admin). */
  evalReports(): Promise<SavedReportInfo[]>;
  /** One saved report: the kindred eval --json result (admin); 404 for an unknown name, 400 for a name that is not a plain file name. */
  evalReport(name: string): Promise<EvalResult>;
  /** One saved report's self-contained HTML page (admin); 404 when none was saved. */
  evalReportHtml(name: string): Promise<string>;
  health(): Promise<{ status: 'ok' }>;
}

/** A non-2xx answer: the HTTP status and the API's error code and details (`details.path/row/field` for bad input). */
export class KindredHttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(status: number, code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'KindredHttpError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

// Used only when the answer carries no error body (e.g. a proxy in between answered).
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 504) return 'TIMEOUT';
  return status >= 500 ? 'INTERNAL' : 'INVALID_INPUT';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toHttpError(status: number, text: string): KindredHttpError {
  const parsed = parseJson(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  const err = parsed?.error;
  if (err && typeof err.code === 'string') {
    const details = typeof err.details === 'object' && err.details !== null ? (err.details as ErrorDetails) : {};
    return new KindredHttpError(status, err.code as ErrorCode, typeof err.message === 'string' ? err.message : `HTTP ${status}`, details);
  }
  return new KindredHttpError(status, codeForStatus(status), `HTTP ${status}`);
}

function listQuery(params: Record<string, string | number | boolean | string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** The query parameters of a user's list (recommend and why share them). */
function listOptions(o: ClientRecommendOptions): Record<string, string | number | boolean | string[] | undefined> {
  return {
    count: o.count, exclude: o.exclude, query: o.query, includeConsumed: o.includeConsumed, filter: o.filter, scenario: o.scenario,
    ...o.care,
  };
}

/**
 * Creates a client for a running Kindred server.
 *
 * @example const kindred = createClient({ baseUrl: 'http://127.0.0.1:8080', apiKey: process.env.KINDRED_KEY }); await kindred.recommend('u1', { count: 5 })
 */
export function createClient(opts: ClientOptions): KindredClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? globalThis.fetch;
  const id = (value: string) => encodeURIComponent(value);

  async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
    const res = await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    const text = await res.text();
    if (!res.ok) throw toHttpError(res.status, text);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** A GET answered with text (the HTML report). */
  async function getText(path: string): Promise<string> {
    const headers: Record<string, string> = opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {};
    const res = await doFetch(`${base}${path}`, { headers });
    const text = await res.text();
    if (!res.ok) throw toHttpError(res.status, text);
    return text;
  }

  return {
    upsertItems: (items) => call('POST', '/v1/items', { items }),
    upsertUsers: (users) => call('POST', '/v1/users', { users }),
    addEvents: (events) => call('POST', '/v1/events', { events }),
    recordImpressions: (lists) => call('POST', '/v1/impressions', lists),
    recommend: (userId, o = {}) =>
      call('GET', `/v1/users/${id(userId)}/recommendations${listQuery({ ...listOptions(o), explain: o.explain, moves: o.moves })}`, undefined, o.signal),
    why: (userId, itemId, o = {}) => call('GET', `/v1/users/${id(userId)}/recommendations/${id(itemId)}/why${listQuery(listOptions(o))}`, undefined, o.signal),
    search: (query, o = {}) => call('GET', `/v1/recommendations${listQuery({ count: o.count, exclude: o.exclude, query, filter: o.filter, scenario: o.scenario })}`, undefined, o.signal),
    similar: (itemId, o = {}) => call('GET', `/v1/items/${id(itemId)}/similar${listQuery({ by: o.by, count: o.count, exclude: o.exclude, filter: o.filter, scenario: o.scenario })}`, undefined, o.signal),
    listItems: (o = {}) => call('GET', `/v1/items${listQuery({ limit: o.limit, cursor: o.cursor })}`),
    listUsers: (o = {}) => call('GET', `/v1/users${listQuery({ limit: o.limit, cursor: o.cursor })}`),
    getUser: (userId) => call('GET', `/v1/users/${id(userId)}`),
    eraseUser: (userId) => call('DELETE', `/v1/users/${id(userId)}`),
    exportUser: (userId) => call('GET', `/v1/users/${id(userId)}/export`),
    profile: (userId) => call('GET', `/v1/users/${id(userId)}/profile`),
    updateProfile: (userId, change) => call('PATCH', `/v1/users/${id(userId)}/profile`, change),
    feedback: (userId, input) => call('POST', `/v1/users/${id(userId)}/feedback`, input),
    listFeedback: (userId) => call('GET', `/v1/users/${id(userId)}/feedback`),
    deleteFeedback: (userId, itemId) => call('DELETE', `/v1/users/${id(userId)}/feedback/${id(itemId)}`),
    carePreferences: (userId) => call('GET', `/v1/users/${id(userId)}/preferences`),
    putCarePreferences: (userId, preferences) => call('PUT', `/v1/users/${id(userId)}/preferences`, preferences),
    updateCarePreferences: (userId, patch) => call('PATCH', `/v1/users/${id(userId)}/preferences`, patch),
    getItem: (itemId) => call('GET', `/v1/items/${id(itemId)}`),
    deleteItem: (itemId) => call('DELETE', `/v1/items/${id(itemId)}`),
    putScenario: ({ name, ...body }) => call('PUT', `/v1/scenarios/${id(name)}`, body),
    getScenario: (name) => call('GET', `/v1/scenarios/${id(name)}`),
    listScenarios: async () => (await call<{ scenarios: Scenario[] }>('GET', '/v1/scenarios')).scenarios,
    deleteScenario: (name) => call('DELETE', `/v1/scenarios/${id(name)}`),
    train: (o = {}) => call('POST', '/v1/train', o),
    models: () => call('GET', '/v1/models'),
    status: () => call('GET', '/v1/status'),
    eventStats: (o = {}) => call('GET', `/v1/stats/events${listQuery({ bucket: o.bucket })}`),
    itemExposure: (itemId, o = {}) => call('GET', `/v1/items/${id(itemId)}/exposure${listQuery({ bucket: o.bucket })}`),
    userEvents: (userId, o = {}) => call('GET', `/v1/users/${id(userId)}/events${listQuery({ limit: o.limit, cursor: o.cursor, types: o.types })}`),
    servingStats: () => call('GET', '/v1/stats/serving'),
    evalReports: async () => (await call<{ reports: SavedReportInfo[] }>('GET', '/v1/eval/reports')).reports,
    evalReport: (name) => call('GET', `/v1/eval/reports/${id(name)}`),
    evalReportHtml: (name) => getText(`/v1/eval/reports/${id(name)}/html`),
    health: () => call('GET', '/healthz'),
  };
}
