import type { FastifyInstance } from 'fastify';
import { EngineError } from '../../core/errors.js';
import type { User } from '../../core/types.js';
import { idParams, usersBody, type IdParams } from '../request-schemas.js';
import { listingRoute } from './listing.js';
import { batchLimit, errorRef, upsertResult, type RouteContext } from './context.js';

const eraseReport = {
  type: 'object',
  required: ['userId', 'events', 'user'],
  properties: {
    userId: { type: 'string' },
    events: { type: 'integer', description: 'Events of the user deleted' },
    user: { type: 'boolean', description: 'Whether a user record existed and was deleted' },
    artifacts: { type: 'integer', description: 'Derived records deleted, when the store keeps any' },
  },
} as const;

/**
 * User routes: bulk upsert, list (cursor paging), read and erase (recommendations for a user live in recommend.ts).
 *
 * @example userRoutes(app, { engine, maxBatch: 50_000 })
 */
export function userRoutes(app: FastifyInstance, { engine, maxBatch }: RouteContext): void {
  app.route<{ Body: { users: User[] } }>({
    method: 'POST',
    url: '/v1/users',
    schema: {
      operationId: 'upsertUsers',
      summary: 'Insert or replace users (all or nothing; an id sent twice keeps its last version)',
      tags: ['users'],
      body: usersBody,
      response: { 200: upsertResult, 400: errorRef, 413: errorRef },
    },
    preValidation: batchLimit('users', maxBatch),
    handler: async (request) => engine.upsertUsers(request.body.users),
  });

  listingRoute(app, 'users', (o) => engine.listUsers(o));

  app.route<{ Params: IdParams }>({
    method: 'GET',
    url: '/v1/users/:id',
    schema: {
      operationId: 'getUser',
      summary: 'One user record',
      tags: ['users'],
      params: idParams,
      response: { 200: { $ref: 'User' }, 404: errorRef },
    },
    handler: async (request) => engine.getUser(request.params.id),
  });

  app.route<{ Params: IdParams }>({
    method: 'DELETE',
    url: '/v1/users/:id',
    schema: {
      operationId: 'eraseUser',
      summary: 'Erase a user: the record, their events and lists cached for them; answers what was deleted',
      tags: ['users'],
      params: idParams,
      response: { 200: eraseReport, 404: errorRef },
    },
    handler: async (request) => {
      const report = await engine.eraseUser(request.params.id);
      if (!report.user && report.events === 0) throw new EngineError('NOT_FOUND', 'unknown user', { id: request.params.id });
      return report;
    },
  });
}
