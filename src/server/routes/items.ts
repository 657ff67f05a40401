import type { FastifyInstance } from 'fastify';
import type { Item } from '../../core/types.js';
import { idParams, itemsBody, type IdParams } from '../request-schemas.js';
import { listingRoute } from './listing.js';
import { batchLimit, errorRef, upsertResult, type RouteContext } from './context.js';

/**
 * Item routes: bulk upsert, list (cursor paging), read and delete.
 *
 * @example itemRoutes(app, { engine, maxBatch: 50_000 })
 */
export function itemRoutes(app: FastifyInstance, { engine, maxBatch }: RouteContext): void {
  app.route<{ Body: { items: Item[] } }>({
    method: 'POST',
    url: '/v1/items',
    schema: {
      operationId: 'upsertItems',
      summary: 'Insert or replace items (all or nothing; an id sent twice keeps its last version)',
      tags: ['items'],
      body: itemsBody,
      response: { 200: upsertResult, 400: errorRef, 413: errorRef },
    },
    preValidation: batchLimit('items', maxBatch),
    handler: async (request) => engine.upsertItems(request.body.items),
  });

  listingRoute(app, 'items', (o) => engine.listItems(o));

  app.route<{ Params: IdParams }>({
    method: 'GET',
    url: '/v1/items/:id',
    schema: {
      operationId: 'getItem',
      summary: 'One item',
      tags: ['items'],
      params: idParams,
      response: { 200: { $ref: 'Item' }, 404: errorRef },
    },
    handler: async (request) => engine.getItem(request.params.id),
  });

  app.route<{ Params: IdParams }>({
    method: 'DELETE',
    url: '/v1/items/:id',
    schema: {
      operationId: 'deleteItem',
      summary: 'Delete an item and its events',
      tags: ['items'],
      params: idParams,
      response: { 204: { description: 'Deleted', type: 'null' }, 404: errorRef },
    },
    handler: async (request, reply) => {
      await engine.deleteItem(request.params.id);
      return reply.code(204).send();
    },
  });
}
