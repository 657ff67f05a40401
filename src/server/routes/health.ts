import type { FastifyInstance } from 'fastify';
import { errorRef, type RouteContext } from './context.js';

/**
 * Liveness (/healthz, open) and engine status (/v1/status: counts and the serving model).
 *
 * @example healthRoutes(app, { engine, maxBatch: 50_000 })
 */
export function healthRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  app.route({
    method: 'GET',
    url: '/healthz',
    config: { public: true },
    schema: {
      operationId: 'health',
      summary: 'Liveness probe (no auth)',
      tags: ['system'],
      response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string', const: 'ok' } } } },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.route({
    method: 'GET',
    url: '/v1/status',
    schema: {
      operationId: 'status',
      summary: 'Store counts and the model being served',
      tags: ['system'],
      response: { 200: { $ref: 'EngineStatus' }, 500: errorRef },
    },
    handler: async () => engine.status(),
  });
}
