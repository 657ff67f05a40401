/** Schemas of the dashboard's read routes: events over time, item exposure, a user's timeline, serving stats. */
import { TIME_BUCKETS } from '../core/time-buckets.js';
import { storedEvent } from './privacy-schemas.js';

const bucket = {
  type: 'string',
  enum: TIME_BUCKETS,
  description: 'Calendar bucket in UTC: day (from midnight), week (from Monday), month (from the 1st). Default: the finest giving at most 400 buckets',
} as const;

export const bucketQuery = { type: 'object', additionalProperties: false, properties: { bucket } } as const;

export interface BucketQuery {
  bucket?: (typeof TIME_BUCKETS)[number];
}

const byType = { type: 'object', additionalProperties: { type: 'integer' }, description: 'Event type -> count (types without events in the bucket left out)' } as const;
const start = { type: 'string', format: 'date-time', description: 'Start of the bucket' } as const;

export const eventTimelineSchema = {
  type: 'object',
  required: ['bucket', 'buckets'],
  properties: {
    bucket,
    buckets: {
      type: 'array',
      description: 'Oldest first, one per bucket from the oldest to the newest stored event (empty buckets included); empty without events',
      items: { type: 'object', required: ['start', 'count', 'byType'], properties: { start, count: { type: 'integer' }, byType } },
    },
  },
} as const;

export const itemExposureSchema = {
  type: 'object',
  required: ['itemId', 'bucket', 'buckets'],
  properties: {
    itemId: { type: 'string' },
    bucket,
    buckets: {
      type: 'array',
      description: "One per bucket from the item's first to its last event",
      items: {
        type: 'object',
        required: ['start', 'impressions', 'events', 'byType'],
        properties: {
          start,
          impressions: { type: 'integer', description: 'impression events: times the item was shown' },
          events: { type: 'integer', description: 'Every other event on the item' },
          byType,
        },
      },
    },
  },
} as const;

export const userEventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50, description: 'Events per page (1-1000, default 50)' },
    cursor: { type: 'string', minLength: 1, maxLength: 4096, description: 'The `next` value of the previous page (opaque)' },
    types: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 100, description: 'Only these event types, comma-separated (types=click,rating) or repeated' },
  },
} as const;

export interface UserEventsQuery {
  limit: number;
  cursor?: string;
  types?: string[];
}

export const userEventsSchema = {
  type: 'object',
  required: ['events'],
  properties: {
    events: { type: 'array', items: storedEvent, description: 'Newest first, by (timestamp, id)' },
    next: { type: 'string', description: 'Cursor of the next (older) page (pass as ?cursor=); absent on the last page' },
  },
} as const;

const providerHealth = {
  type: ['object', 'null'],
  description: 'From the calls the engine made (never a call made to check); null when no provider is configured',
  required: ['id', 'local', 'ok', 'opened', 'calls', 'failures', 'cancelled'],
  properties: {
    id: { type: 'string' },
    local: { type: 'boolean', description: 'Texts never leave this machine' },
    ok: { type: 'boolean', description: 'The last call (or opening the provider) succeeded; true before any call' },
    opened: { type: 'boolean', description: 'Opened by this process yet (providers open on first use)' },
    lastError: { type: 'string', description: 'Error code of the last failure' },
    lastCallAt: { type: 'string', format: 'date-time' },
    p50Ms: { type: 'number', description: 'Median time of the last 200 successful calls' },
    calls: { type: 'integer' },
    failures: { type: 'integer', description: 'Failed calls, and failures to open the provider' },
    cancelled: { type: 'integer', description: 'Calls their caller gave up on (a request deadline such as llm.deadlineMs, a client gone): not failures' },
  },
} as const;

export const servingStatsSchema = {
  type: 'object',
  required: ['since', 'window', 'routes', 'providers', 'store'],
  properties: {
    since: { type: 'string', format: 'date-time', description: 'When this server started recording' },
    window: { type: 'integer', description: 'Answers kept per route: the percentiles and counts are over the last this many' },
    routes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['method', 'route', 'count', 'p50Ms', 'p95Ms', 'p99Ms', 'errors', 'clientErrors', 'total'],
        properties: {
          method: { type: 'string' },
          route: { type: 'string', description: 'Route pattern, e.g. /v1/users/:id/recommendations (never a URL)' },
          count: { type: 'integer', description: 'Answers in the window' },
          p50Ms: { type: 'number' },
          p95Ms: { type: 'number' },
          p99Ms: { type: 'number' },
          errors: { type: 'integer', description: '5xx answers in the window' },
          clientErrors: { type: 'integer', description: '4xx answers in the window' },
          total: { type: 'integer', description: 'Answers since the server started' },
        },
      },
    },
    providers: { type: 'object', required: ['embedding', 'llm'], properties: { embedding: providerHealth, llm: providerHealth } },
    store: {
      type: 'object',
      required: ['kind', 'ok'],
      properties: { kind: { type: 'string' }, ok: { type: 'boolean' }, error: { type: 'string', description: 'Error code of the failed health check' } },
    },
  },
} as const;
