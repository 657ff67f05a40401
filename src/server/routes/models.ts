import type { FastifyInstance } from 'fastify';
import { errorRef, type RouteContext } from './context.js';

const modelVersion = {
  type: 'object',
  required: ['version', 'createdAt', 'bytes', 'meta', 'serving', 'pinned', 'refused'],
  properties: {
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    bytes: { type: 'integer', description: 'Size of the stored bundle' },
    meta: {
      type: 'object',
      description: 'What the training recorded: model, params (resolved), paramSources (per param: explicit, default, scaled to the data, or tuned), tuning (with tune: validation metrics, trials per model), trainedAt, users, items, interactions, seconds',
      additionalProperties: true,
    },
    serving: { type: 'boolean', description: 'This server serves it now' },
    pinned: { type: 'boolean', description: 'Pinned by a rollback: every server on the store serves it' },
    refused: { type: 'boolean', description: 'This server refused it: its stored blob does not match its checksum, so the previous version keeps serving' },
    model: { type: 'string', description: 'The main model (from meta; absent for versions stored without it)' },
    trainedAt: { type: 'string', format: 'date-time' },
    trainingSeconds: { type: 'number', description: 'Seconds the training took, up to the version\'s write' },
    params: { type: 'object', additionalProperties: true, description: "The main model's resolved params" },
    tunedParams: { type: 'array', items: { type: 'string' }, description: 'Params a validation search chose (train --tune)' },
    metrics: { type: 'object', additionalProperties: { type: 'number' }, description: 'Offline metrics the training computed: the tuning\'s validation metrics @10 (absent without tuning)' },
    metricUsed: { type: 'string', description: 'The validation metric that chose the model and params (with tuning)' },
    users: { type: 'integer' },
    items: { type: 'integer' },
    interactions: { type: 'integer' },
  },
} as const;

const modelsReport = {
  type: 'object',
  required: ['serving', 'pinned', 'training', 'versions'],
  properties: {
    serving: { type: ['integer', 'null'] },
    pinned: { type: ['integer', 'null'] },
    training: {
      type: ['object', 'null'],
      properties: { jobId: { type: 'string' }, model: { type: 'string' } },
    },
    versions: { type: 'array', items: modelVersion },
  },
} as const;

const modelSnapshot = {
  type: 'object',
  description: 'The served main model, item side only, for the on-device scorer `kindred/on-device` (docs/privacy.md). Arrays are base64 little-endian float32/int32. als: factors, stride, alpha, regularization, itemFactors, itemGram; bpr: factors, stride, learningRate, regularization, epochs, seed, itemFactors, itemBias; itemknn: normalize, indptr, indices, data',
  required: ['format', 'version', 'trainedAt', 'model', 'items'],
  properties: {
    format: { type: 'string', const: 'kindred-snapshot/1' },
    version: { type: 'integer' },
    trainedAt: { type: 'string' },
    model: { type: 'string', enum: ['als', 'bpr', 'itemknn'] },
    items: { type: 'array', items: { type: 'string' }, description: 'Trained item ids in index order' },
  },
  additionalProperties: true,
} as const;

/** True when an If-None-Match header names this ETag (or `*`); weak validators compare by their opaque tag. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

interface RollbackBody {
  version: number | 'latest';
}

/**
 * GET /v1/models/snapshot (the on-device snapshot, ETag = the served version), GET /v1/models (stored versions, their training report, the served and the pinned one) and
 * POST /v1/models/rollback (pin a version for every server on the store, or `"latest"` to unpin).
 *
 * @example modelRoutes(app, { engine, maxBatch: 50_000 })
 */
export function modelRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  app.route({
    method: 'GET',
    url: '/v1/models',
    schema: {
      operationId: 'listModels',
      summary: 'Stored model versions with their params and metrics, and which one is served',
      tags: ['training'],
      response: { 200: modelsReport, 500: errorRef },
    },
    handler: async () => engine.models(),
  });

  app.route({
    method: 'GET',
    url: '/v1/models/snapshot',
    schema: {
      operationId: 'modelSnapshot',
      summary: 'The served main model as an on-device snapshot (item side only); send If-None-Match with its ETag to skip an unchanged version',
      tags: ['training'],
      response: { 200: modelSnapshot, 304: { description: 'Not modified: the served version is the one named in If-None-Match', type: 'null' }, 409: errorRef },
    },
    handler: async (request, reply) => {
      const snapshot = engine.modelSnapshot();
      const etag = `"${snapshot.version}"`;
      void reply.header('etag', etag).header('cache-control', 'no-cache');
      if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
      return snapshot;
    },
  });

  app.route<{ Body: RollbackBody }>({
    method: 'POST',
    url: '/v1/models/rollback',
    schema: {
      operationId: 'rollbackModel',
      summary: 'Serve a stored version on every server of this store (a pin), or "latest" to serve the newest again',
      tags: ['training'],
      body: {
        type: 'object',
        required: ['version'],
        additionalProperties: false,
        properties: { version: { oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string', const: 'latest' }] } },
      },
      response: { 200: modelsReport, 400: errorRef, 404: errorRef },
    },
    handler: async (request) => engine.rollbackModel(request.body.version),
  });
}
