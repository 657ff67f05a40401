/**
 * The JSON the dashboard reads from the HTTP API (docs/http-api.md, /openapi.json), only the fields it shows. The
 * dashboard talks to the server over HTTP alone; where the server has a plain type for an answer it is imported as a
 * type (erased at build), the rest are written here.
 */

// Types the server declares once are imported (type-only: nothing of src/ is bundled).
import type { ModelVersionSummary } from '../../../src/jobs/version-summary.js';
import type { Interest, InterestProfile, InterestTerm, ProfileItem } from '../../../src/interests/profile-types.js';
import type { RouteLatencyReport as RouteLatency } from '../../../src/server/route-latency.js';

export type { Interest, InterestProfile, InterestTerm, ModelVersionSummary, ProfileItem, RouteLatency };

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

export interface ModelVersion extends ModelVersionSummary {
  version: number;
  createdAt: string;
  bytes: number;
  meta: ModelVersionMeta;
  serving: boolean;
  pinned: boolean;
  refused: boolean;
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
