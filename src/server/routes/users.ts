import type { FastifyInstance } from 'fastify';
import { EngineError } from '../../core/errors.js';
import type { User } from '../../core/types.js';
import { idParams, usersBody, type IdParams } from '../request-schemas.js';
import { erasedAnything } from '../../privacy/erase-receipt.js';
import { eraseReceiptSchema, userExportSchema } from '../privacy-schemas.js';
import { listingRoute } from './listing.js';
import { batchLimit, errorRef, upsertResult, type RouteContext } from './context.js';

/**
 * User routes: bulk upsert, list (cursor paging), read, export and erase (recommendations for a user live in recommend.ts).
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
      summary: 'Erase a user: the record, events, profile, preferences, cached lists and older model versions trained on them; answers the erase receipt',
      tags: ['users'],
      params: idParams,
      response: { 200: eraseReceiptSchema, 404: errorRef },
    },
    handler: async (request) => {
      const report = await engine.eraseUser(request.params.id);
      if (!erasedAnything(report)) throw new EngineError('NOT_FOUND', 'unknown user', { id: request.params.id });
      return report;
    },
  });

  app.route<{ Params: IdParams }>({
    method: 'GET',
    url: '/v1/users/:id/export',
    schema: {
      operationId: 'exportUser',
      summary: 'Everything stored about a user, as JSON: record, events with review text and sentiment, interest profile, care preferences',
      tags: ['users'],
      params: idParams,
      response: { 200: userExportSchema, 404: errorRef },
    },
    handler: async (request) => engine.exportUser(request.params.id),
  });
}
