import type { FastifyInstance } from 'fastify';
import type { User } from '../../core/types.js';
import { usersBody } from '../request-schemas.js';
import { batchLimit, errorRef, type RouteContext } from './context.js';

const upserted = { type: 'object', required: ['upserted'], properties: { upserted: { type: 'integer' } } } as const;

/**
 * User routes: bulk upsert (recommendations for a user live in recommend.ts).
 *
 * @example userRoutes(app, { engine, maxBatch: 50_000 })
 */
export function userRoutes(app: FastifyInstance, { engine, maxBatch }: RouteContext): void {
  app.route<{ Body: { users: User[] } }>({
    method: 'POST',
    url: '/v1/users',
    schema: {
      operationId: 'upsertUsers',
      summary: 'Insert or replace users (all or nothing)',
      tags: ['users'],
      body: usersBody,
      response: { 200: upserted, 400: errorRef, 413: errorRef },
    },
    preValidation: batchLimit('users', maxBatch),
    handler: async (request) => engine.upsertUsers(request.body.users),
  });
}
