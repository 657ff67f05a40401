/**
 * Route schemas of the request side: bodies, path parameters and query strings. Records are referenced by `$id`
 * (Item, User, Event from src/core/schemas.ts) so validation and the OpenAPI document share one definition.
 */
import { CARE_KEYS, type CareKey } from '../care/care-settings.js';
import { idStringSchema } from '../core/schemas.js';

const idString = idStringSchema;

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: idString },
} as const;

/** GET /v1/users/{id}/recommendations/{item}/why: the user and the item. */
export const userItemParams = {
  type: 'object',
  required: ['id', 'item'],
  additionalProperties: false,
  properties: { id: idString, item: idString },
} as const;

export interface UserItemParams {
  id: string;
  item: string;
}

function bulkBody(key: 'items' | 'users' | 'events', ref: 'Item' | 'User' | 'Event') {
  return {
    type: 'object',
    required: [key],
    additionalProperties: false,
    properties: { [key]: { type: 'array', items: { $ref: ref }, description: 'At most server.maxBatch records (413 otherwise)' } },
  } as const;
}

export const itemsBody = bulkBody('items', 'Item');
export const usersBody = bulkBody('users', 'User');
export const eventsBody = bulkBody('events', 'Event');

const count = { type: 'integer', minimum: 1, maximum: 1000, description: 'List length (default recommend.count)' } as const;
const exclude = {
  type: 'array',
  items: { type: 'string', minLength: 1 },
  maxItems: 1000,
  description: 'Item ids never to return, comma-separated (exclude=a,b) or repeated',
} as const;
// No maxLength here: the filter parser checks its own limits (2000 characters, 32 levels) and names them in the error.
const filter = {
  type: 'string',
  minLength: 1,
  description: 'Keep only items matching this expression, e.g. `price < 50 and in_stock = true` (docs/filters.md); at most 2000 characters',
} as const;

const scenario = {
  type: 'string',
  minLength: 1,
  description: 'A stored scenario\'s name: its filter, list length and recall quotas apply (docs/filters.md, "Scenarios")',
} as const;

/** A care setting as a query parameter (docs/care.md), in its config range. */
function careQueryParam(key: CareKey, doc: string) {
  const kind = CARE_KEYS.get(key);
  const range = kind?.kind === 'number' ? { minimum: kind.min, maximum: kind.max } : {};
  return { type: 'number', ...range, description: `${doc} (default config care.${key}; docs/care.md)` } as const;
}

/** The fatigue and repeat knobs a request may set in its query. */
const fatigueQuery = {
  fatigueAfter: careQueryParam('fatigueAfter', 'This request\'s impressions without engagement after which an item fades'),
  fatigueDecay: careQueryParam('fatigueDecay', 'This request\'s share of relevance a fading item loses per impression'),
  impressionCap: careQueryParam('impressionCap', 'This request\'s impressions without engagement at which an item is left out'),
  cooldownHours: careQueryParam('cooldownHours', 'This request\'s hours without an impression after which an item\'s count starts again'),
  repeatAfterDays: careQueryParam('repeatAfterDays', 'This request\'s days after which consumed items may come back (0 = never)'),
};

/** The options of a user's list: recommend takes them all (and explain), the why route the same list's. */
const listOptions = {
  count,
  exclude,
  query: { type: 'string', minLength: 1, maxLength: 2000, description: "Free text blended with the user's interests" },
  includeConsumed: { type: 'boolean', description: 'Allow items the user already interacted with' },
  filter,
  scenario,
  diversity: { type: 'number', minimum: 0, maximum: 1, description: 'This request\'s diversity strength, 0..1 (default config care.diversity; docs/care.md)' },
  calibration: { type: 'number', minimum: 0, maximum: 1, description: 'This request\'s calibration trade-off, 0..1 (default config care.calibration; docs/care.md)' },
  qualityFloor: { type: 'number', minimum: 0, maximum: 1, description: 'This request\'s quality floor on the fused score, 0..1: fewer items instead of weak ones (default config care.qualityFloor; docs/care.md)' },
  novelty: { type: 'number', minimum: 0, maximum: 1, description: 'This request\'s long-tail strength, 0..1: lifts less-known items (default config care.novelty; docs/care.md)' },
  gentle: { type: 'boolean', description: "Gentle mode for this request: when the user's recent texts are strongly negative, distressing items move down (default config care.gentle; docs/care.md)" },
  ...fatigueQuery,
} as const;

export const recommendQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...listOptions,
    explain: { type: 'boolean', description: 'Add one sentence per item from the LLM provider, built from the reasons, within llm.deadlineMs (does nothing without llm.provider; docs/care.md)' },
    moves: { type: 'boolean', description: 'Add `moves`: each shown item\'s fused place and the re-rank stages that moved it, then the items a stage removed (computed live)' },
  },
} as const;

/** GET /v1/users/{id}/recommendations/{item}/why: the options of the list the item is looked for in. */
export const whyQuery = { type: 'object', additionalProperties: false, properties: listOptions } as const;

/** GET /v1/recommendations: an anonymous free-text query (required there). */
export const searchQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['query'],
  properties: {
    count,
    exclude,
    query: { type: 'string', minLength: 1, maxLength: 2000, description: 'Free text, e.g. "slow, funny movies about friendship"' },
    filter,
    scenario,
  },
} as const;

export const similarQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    by: {
      type: 'string',
      enum: ['collaborative', 'text'],
      description: 'Only neighbours by who chose them (collaborative: 409 for an item the model was not trained on, 501 without item neighbours) or by item text embeddings (text: 501 without them, 409 for an item not in them). Default: the first basis that knows the item, else popular items',
    },
    count, exclude, filter, scenario,
  },
} as const;

/** The query string of routes that take no parameters: anything sent there is an unknown parameter (400). */
export const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

/** GET /v1/items and /v1/users: one page in id order. */
export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Page size (1-1000, default 100)' },
    cursor: { type: 'string', minLength: 1, maxLength: 4096, description: 'The `next` value of the previous page (opaque)' },
  },
} as const;

export const trainBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    model: { type: 'string', minLength: 1, maxLength: 64, description: 'Model to train (default train.model)' },
    params: { type: 'object', description: 'Model parameters (default train.params); with tune, held fixed and only with model' },
    tune: { type: 'boolean', description: 'Choose the main model (ease, als, itemknn; or only the params of `model`) by validation NDCG@10 on a split of the stored data, then fit on all of it' },
    budgetSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 86_400, description: 'Tuning time budget in seconds (default 120); only with tune: true' },
  },
} as const;

export interface IdParams { id: string }
export interface ListQuery { count?: number; exclude?: string[]; filter?: string; scenario?: string }
export interface SimilarQuery extends ListQuery { by?: 'collaborative' | 'text' }
export interface WhyQuery extends ListQuery { query?: string; includeConsumed?: boolean; diversity?: number; calibration?: number; qualityFloor?: number; novelty?: number; gentle?: boolean;
  fatigueAfter?: number; fatigueDecay?: number; impressionCap?: number; cooldownHours?: number; repeatAfterDays?: number;
}
export interface RecommendQuery extends WhyQuery { explain?: boolean; moves?: boolean }
export interface SearchQuery extends ListQuery { query: string }
export interface PageQuery { limit: number; cursor?: string }
export interface TrainBody { model?: string; params?: Record<string, unknown>; tune?: boolean; budgetSeconds?: number }

/**
 * Ids from `exclude`, accepting both `exclude=a,b` and repeated `exclude=a&exclude=b`.
 *
 * @example excludedIds(['a,b', 'c']) // ['a', 'b', 'c']
 */
export function excludedIds(values: string[] | undefined): string[] | undefined {
  if (!values) return undefined;
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}
