/**
 * JSON Schemas of what the API answers (the request side lives in src/core/schemas.ts). They document the responses
 * in the OpenAPI document; responses are serialised with JSON.stringify, so these never strip a field.
 */
import { carePreferencesViewSchema } from './care-schema.js';
import { interestProfileSchema } from './profile-schema.js';
import { scenarioListSchema, scenarioSchema } from './scenario-schema.js';

const counts = {
  type: 'object',
  required: ['items', 'users', 'events'],
  properties: { items: { type: 'integer' }, users: { type: 'integer' }, events: { type: 'integer' } },
} as const;

export const errorResponseSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', description: 'Code from the error catalogue, e.g. INVALID_INPUT, NOT_FOUND' },
        message: { type: 'string' },
        details: {
          type: 'object',
          description: 'Ids, positions and limits, never the values sent: path (JSON pointer), row (zero-based), field',
          properties: {
            path: { type: 'string', description: 'JSON pointer; a sent name that is not a short name shows as \u2026' },
            row: { type: 'integer' },
            field: { type: 'string' },
            in: { type: 'string', enum: ['querystring', 'params'], description: 'URL part at fault (absent for the body)' },
            allowed: { type: 'array', items: { type: 'string' }, description: 'The known fields or query parameters, after an unknown one' },
            limit: { type: 'integer', description: 'The limit exceeded' },
            position: { type: 'integer', description: 'Zero-based character offset of the bad token in a filter expression' },
            length: { type: 'integer', description: 'Length of the bad token in a filter expression' },
            expected: { type: 'string', description: 'What the filter parser expected at `position`' },
          },
        },
      },
    },
  },
} as const;

export const reasonSchema = {
  $id: 'Reason',
  type: 'object',
  required: ['kind', 'text'],
  properties: {
    kind: { type: 'string', description: 'similar-to, popular, cold-start, semantic, tag, fresh, ...' },
    text: { type: 'string' },
    itemIds: { type: 'array', items: { type: 'string' } },
    weight: { type: 'number' },
    evidence: {
      type: 'array',
      description: 'The facts the reason rests on, by id; every reason of a recommendation list has at least one',
      items: {
        type: 'object',
        required: ['kind', 'id'],
        properties: {
          kind: { type: 'string', enum: ['item', 'interest', 'category', 'tag', 'query', 'stat', 'channel'] },
          id: { type: 'string', description: 'Item id, interest id, category or tag, the query text, the counted quantity (people), or the recall channel' },
          label: { type: 'string', description: "The item's title, the interest's label, or what a count covers" },
          value: { type: 'number', description: "The item's contribution, the user's share of a category, a count, or a channel score" },
          windowDays: { type: 'integer', description: 'For a count: the days it covers (absent: all time)' },
        },
      },
    },
  },
} as const;

export const recommendationSchema = {
  $id: 'Recommendation',
  type: 'object',
  required: ['itemId', 'score', 'reasons'],
  properties: {
    itemId: { type: 'string' },
    score: { type: 'number' },
    title: { type: 'string' },
    reasons: { type: 'array', items: { $ref: 'Reason' } },
    explanation: { type: 'string', description: 'With explain=true and an LLM provider: one sentence built from the reasons' },
  },
} as const;

export const stageTraceSchema = {
  $id: 'StageTrace',
  type: 'object',
  required: ['stage', 'kind', 'ms', 'candidatesIn', 'candidatesOut'],
  properties: {
    stage: { type: 'string' },
    kind: { type: 'string', enum: ['recall', 'merge', 'filter', 'fuse', 'rank', 'rerank', 'explain'] },
    ms: { type: 'number' },
    candidatesIn: { type: 'integer' },
    candidatesOut: { type: 'integer' },
    cached: { type: 'boolean' },
    degraded: { type: 'string', description: 'Why a fallback was used' },
    uncovered: { type: 'integer', description: 'Recall channel uncovered: trained items the main model cannot score, which this channel stood in for' },
  },
} as const;

const modelRef = {
  type: 'object',
  required: ['name', 'version'],
  properties: { name: { type: 'string' }, version: { type: 'integer' } },
} as const;

export const recommendResultSchema = {
  $id: 'RecommendResult',
  type: 'object',
  required: ['items', 'personalised', 'trace'],
  properties: {
    userId: { type: 'string' },
    items: { type: 'array', items: { $ref: 'Recommendation' } },
    personalised: { type: 'boolean', description: 'False for unknown users or without consent: popular items are served' },
    notice: { type: 'string', description: 'Set when a text query matched fewer items well than asked for (e.g. "Nothing matched your search well."), or the daily budget or the quality floor shortened the list (docs/care.md)' },
    impressionToken: { type: 'string', description: 'A user\'s answer with items: post it back to POST /v1/impressions as { "token" } once the list was shown, within care.impressionTokenHours (docs/care.md)' },
    model: modelRef,
    trace: { type: 'array', items: { $ref: 'StageTrace' } },
    moves: {
      type: 'array',
      description: 'With moves=true: each shown item, then each item a re-rank stage removed, with its fused place and score and the stages that moved it (1-based places)',
      items: {
        type: 'object',
        required: ['itemId', 'moves'],
        properties: {
          itemId: { type: 'string' },
          fused: { type: 'object', required: ['position', 'score'], properties: { position: { type: 'integer' }, score: { type: 'number' } } },
          moves: { type: 'array', items: { type: 'object', required: ['stage', 'from'], properties: { stage: { type: 'string' }, from: { type: 'integer' }, to: { type: 'integer' }, removed: { type: 'boolean' } } } },
          final: { type: 'integer', description: 'Place after the last re-rank stage, before the cut to the list length' },
        },
      },
    },
  },
} as const;

export const whyResultSchema = {
  $id: 'WhyResult',
  type: 'object',
  required: ['userId', 'itemId', 'verdict', 'text', 'count', 'channels', 'moves', 'reasons', 'trace'],
  description: 'Where an item stands in the user\'s list, computed live; positions and ranks are 1-based',
  properties: {
    userId: { type: 'string' },
    itemId: { type: 'string' },
    title: { type: 'string' },
    verdict: {
      type: 'string',
      enum: ['shown', 'consumed', 'not-interested', 'excluded', 'unavailable', 'filtered', 'removed', 'below-cut', 'not-recalled'],
      description: 'shown, or what kept it out: consumed, not-interested (negative feedback), excluded (by the request), unavailable (hidden or expired), filtered (filter or scenario rule), removed (by a stage), below-cut, not-recalled',
    },
    text: { type: 'string', description: 'The verdict in words' },
    count: { type: 'integer', description: 'The list length asked for' },
    position: { type: 'integer', description: 'Its place in the list, when shown' },
    channels: {
      type: 'array',
      description: 'Each recall channel that proposed it, with its rank and score in that channel\'s list',
      items: { type: 'object', required: ['channel', 'rank', 'score'], properties: { channel: { type: 'string' }, rank: { type: 'integer' }, score: { type: 'number' } } },
    },
    fused: { type: 'object', required: ['position', 'score'], properties: { position: { type: 'integer' }, score: { type: 'number' } } },
    moves: {
      type: 'array',
      description: 'Each re-rank stage that moved it (from, to) or removed it, with what the stage does',
      items: {
        type: 'object',
        required: ['stage', 'from', 'does'],
        properties: { stage: { type: 'string' }, from: { type: 'integer' }, to: { type: 'integer' }, removed: { type: 'boolean' }, does: { type: 'string' } },
      },
    },
    reasons: { type: 'array', items: { $ref: 'Reason' } },
    trace: { type: 'array', items: { $ref: 'StageTrace' } },
  },
} as const;

export const similarResultSchema = {
  $id: 'SimilarResult',
  type: 'object',
  required: ['itemId', 'items', 'trace'],
  properties: {
    itemId: { type: 'string' },
    items: { type: 'array', items: { $ref: 'Recommendation' } },
    trace: { type: 'array', items: { $ref: 'StageTrace' } },
  },
} as const;

export const trainReportSchema = {
  $id: 'TrainReport',
  type: 'object',
  required: ['jobId', 'model', 'version', 'seconds', 'users', 'items', 'interactions'],
  properties: {
    jobId: { type: 'string', description: 'The training run; requests that joined it share it' },
    model: { type: 'string' },
    version: { type: 'integer' },
    seconds: { type: 'number' },
    users: { type: 'integer' },
    items: { type: 'integer' },
    interactions: { type: 'integer' },
    tuning: {
      type: 'object',
      description: 'With tune: the validation metric and metrics @10 of the choice, trials per candidate model (best value and params), skipped models, budget and search time',
      additionalProperties: true,
    },
  },
} as const;

export const engineStatusSchema = {
  $id: 'EngineStatus',
  type: 'object',
  required: ['counts'],
  properties: {
    counts,
    model: { ...modelRef, required: ['name', 'version', 'trainedAt'], properties: { ...modelRef.properties, trainedAt: { type: 'string', format: 'date-time' } } },
  },
} as const;

export const RESPONSE_SCHEMAS = [
  errorResponseSchema,
  reasonSchema,
  recommendationSchema,
  stageTraceSchema,
  recommendResultSchema,
  whyResultSchema,
  similarResultSchema,
  trainReportSchema,
  engineStatusSchema,
  interestProfileSchema,
  carePreferencesViewSchema,
  scenarioSchema,
  scenarioListSchema,
] as const;
