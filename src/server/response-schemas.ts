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
  similarResultSchema,
  trainReportSchema,
  engineStatusSchema,
  interestProfileSchema,
  carePreferencesViewSchema,
  scenarioSchema,
  scenarioListSchema,
] as const;
