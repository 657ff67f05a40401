import type { FastifyInstance } from 'fastify';
import { idParams, type IdParams } from '../request-schemas.js';
import { errorRef, type RouteContext } from './context.js';

/**
 * A user's interest profile, read-only: long- and short-term interest, clustered interests with labels, drift.
 *
 * @example profileRoutes(app, { engine, maxBatch: 50_000 })
 */
export function profileRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  app.route<{ Params: IdParams }>({
    method: 'GET',
    url: '/v1/users/:id/profile',
    schema: {
      operationId: 'getProfile',
      summary: "A user's interest profile (computed from their stored events and the served model); 404 for a user with neither a record nor events",
      tags: ['users'],
      params: idParams,
      response: { 200: { $ref: 'InterestProfile' }, 404: errorRef, 409: errorRef },
    },
    handler: async (request) => engine.profile(request.params.id),
  });
}
