/**
 * The JSON the dashboard reads from the HTTP API (docs/http-api.md, /openapi.json), only the fields it shows. The
 * dashboard talks to the server over HTTP alone, so these are written here rather than imported from src/.
 */

export interface StatusAnswer {
  counts: { items: number; users: number; events: number };
  model?: { name: string; version: number; trainedAt: string };
}

export interface ModelVersionMeta {
  model?: string;
  params?: Record<string, unknown>;
  /** Per parameter: 'default', 'config', 'tuned'... */
  paramSources?: Record<string, string>;
  trainedAt?: string;
  seconds?: number;
  users?: number;
  items?: number;
  interactions?: number;
  channels?: string[];
}

export interface ModelVersion {
  version: number;
  createdAt: string;
  bytes: number;
  meta: ModelVersionMeta;
  serving: boolean;
  pinned: boolean;
  refused: boolean;
  /** Typed copies of what meta holds (absent for versions stored without them). */
  model?: string;
  trainedAt?: string;
  trainingSeconds?: number;
  params?: Record<string, unknown>;
  /** Params a validation search chose (train --tune). */
  tunedParams?: string[];
  /** The tuning's validation metrics @10 (absent without tuning). */
  metrics?: Record<string, number>;
  metricUsed?: string;
}

export interface ModelsAnswer {
  serving: number | null;
  pinned: number | null;
  versions: ModelVersion[];
}

export type TimeBucket = 'day' | 'week' | 'month';

export interface EventTimeline {
  bucket: TimeBucket;
  buckets: { start: string; count: number; byType: Record<string, number> }[];
}

export interface ItemExposure {
  itemId: string;
  bucket: TimeBucket;
  buckets: { start: string; impressions: number; events: number; byType: Record<string, number> }[];
}

export interface ProviderHealth {
  id: string;
  local: boolean;
  ok: boolean;
  opened?: boolean;
  lastError?: string;
  lastCallAt?: string;
  p50Ms?: number;
  calls?: number;
  failures?: number;
}

export interface RouteLatency {
  method: string;
  route: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  clientErrors?: number;
  total?: number;
}

export interface ServingStats {
  since: string;
  window?: number;
  routes: RouteLatency[];
  providers: { embedding: ProviderHealth | null; llm: ProviderHealth | null };
  store: { kind: string; ok: boolean; error?: string };
}

export interface User {
  id: string;
  attributes?: Record<string, unknown>;
}

export interface Item {
  id: string;
  title?: string;
  text?: string;
  categories?: string[];
  tags?: string[];
  attributes?: Record<string, unknown>;
  createdAt?: string;
}

export interface StoredEvent {
  id: string;
  userId: string;
  itemId: string;
  type: string;
  value?: number;
  timestamp: string;
}

export type UsersPage = { users: User[]; next?: string };
export type EventsPage = { events: StoredEvent[]; next?: string };

export interface ProfileItem {
  itemId: string;
  title?: string;
  weight: number;
}

export interface Interest {
  id: string;
  label: string;
  labelBy?: 'llm';
  terms: { term: string; score: number }[];
  weight: number;
  recentWeight: number;
  size: number;
  items: ProfileItem[];
  muted: boolean;
  boost: number;
}

export interface InterestTerm {
  events: number;
  items: number;
  halfLifeDays: number;
  window?: number;
  top: ProfileItem[];
}

export interface InterestProfile {
  userId: string;
  model: { name: string; version: number };
  space: { kind: string; source: string };
  events: number;
  longTerm: InterestTerm;
  shortTerm: InterestTerm;
  drift: number | null;
  interests: Interest[];
}

export interface Evidence {
  kind: string;
  id?: string;
  label?: string;
  value?: number;
}

export interface Reason {
  kind: string;
  text: string;
  itemIds?: string[];
  weight?: number;
  evidence?: Evidence[];
}

export interface RecommendedItem {
  itemId: string;
  score: number;
  title?: string;
  reasons?: Reason[];
}

export interface TraceStep {
  stage: string;
  kind: string;
  ms: number;
  candidatesIn: number;
  candidatesOut: number;
  cached?: boolean;
  /** Why the stage fell back (failed, timed out) or a recall channel was left out. */
  degraded?: string;
}

export interface ItemMoves {
  itemId: string;
  fused: { position: number; score: number };
  moves: { stage: string; from: number; to: number }[];
  final: number;
}

export interface RecommendAnswer {
  userId?: string;
  items: RecommendedItem[];
  personalised?: boolean;
  model?: { name: string; version: number };
  trace?: TraceStep[];
  moves?: ItemMoves[];
  notice?: string;
}

export interface SimilarAnswer {
  itemId: string;
  items: RecommendedItem[];
  trace?: TraceStep[];
}

export interface Scenario {
  name: string;
  description?: string;
}

export interface EvalReportSummary {
  name: string;
  createdAt: string;
  dataset?: string;
  models: string[];
  protocol?: string;
  /** Whether an HTML report was written next to the JSON one. */
  html?: boolean;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
