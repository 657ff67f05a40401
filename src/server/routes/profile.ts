import type { FastifyInstance } from 'fastify';
import type { ProfileChange } from '../../interests/profile-preferences.js';
import { profileUpdateBody } from '../profile-schema.js';
import { idParams, type IdParams } from '../request-schemas.js';
import { errorRef, type RouteContext } from './context.js';

/**
 * A user's stored interest profile (long- and short-term interest, clustered interests with stable ids, labels,
 * drift) and the user's mutes and boosts on it.
 *
 * @example profileRoutes(app, { engine, maxBatch: 50_000 })
 */
export function profileRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  app.route<{ Params: IdParams }>({
    method: 'GET',
    url: '/v1/users/:id/profile',
    schema: {
      operationId: 'getProfile',
      summary: "A user's interest profile (built from their stored events and the served model, then updated by every event); 404 for a user with neither a record nor events",
      tags: ['users'],
      params: idParams,
      response: { 200: { $ref: 'InterestProfile' }, 404: errorRef, 409: errorRef },
    },
    handler: async (request) => engine.profile(request.params.id),
  });

  app.route<{ Params: IdParams; Body: ProfileChange }>({
    method: 'PATCH',
    url: '/v1/users/:id/profile',
    schema: {
      operationId: 'updateProfile',
      summary: 'Mute, boost or reset interests (ids from GET); the next recommendation honours it. 400 for an unknown interest id or a bad value',
      tags: ['users'],
      params: idParams,
      body: profileUpdateBody,
      response: { 200: { $ref: 'InterestProfile' }, 400: errorRef, 404: errorRef, 409: errorRef },
    },
    handler: async (request) => engine.updateProfile(request.params.id, request.body),
  });
}
