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

interface RollbackBody {
  version: number | 'latest';
}

/**
 * GET /v1/models (stored versions, their training report, the served and the pinned one) and
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
