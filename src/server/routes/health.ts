import type { FastifyInstance } from 'fastify';
import { errorHeaders, toHttpError } from '../errors.js';
import { errorRef, type RouteContext } from './context.js';

/**
 * Health (/healthz, open) and engine status (/v1/status: counts and the serving model). /healthz checks the store
 * for real but cheaply (file still in place, writable, readable: see Store.health), so it can be polled every second;
 * a failed check answers 503 with the error's code (STORE_UNAVAILABLE or STORE_CORRUPT) and a Retry-After header.
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
      summary: 'Health probe (no auth): 200 when the store can serve, 503 when it cannot',
      tags: ['system'],
      response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string', const: 'ok' } } }, 503: errorRef },
    },
    handler: async (_request, reply) => {
      try {
        await engine.health();
        return { status: 'ok' as const };
      } catch (err) {
        // Always 503, whatever the code's own status (STORE_CORRUPT is a 500 on other routes): the service is down.
        return reply.code(503).headers(errorHeaders(503) ?? {}).send(toHttpError(err).body);
      }
    },
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
