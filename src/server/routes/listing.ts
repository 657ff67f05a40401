import type { FastifyInstance } from 'fastify';
import type { Item, User } from '../../core/types.js';
import type { Page } from '../../engine-types.js';
import type { PageOptions } from '../../storage/store.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { pageQuery, type PageQuery } from '../request-schemas.js';
import { errorRef } from './context.js';

/** Response schema of a listing page: `key` holds the records, `next` is there when more may follow. */
function pageResult(key: 'items' | 'users', ref: 'Item' | 'User') {
  return {
    type: 'object',
    required: [key],
    properties: {
      [key]: { type: 'array', items: { $ref: ref } },
      next: { type: 'string', description: 'Cursor of the next page (pass as ?cursor=); absent on the last page' },
    },
  } as const;
}

const LISTINGS = {
  items: { operationId: 'listItems', ref: 'Item' },
  users: { operationId: 'listUsers', ref: 'User' },
} as const;

/**
 * GET /v1/items or /v1/users: records in id order, `limit` per page, with an opaque `next` cursor while more may follow.
 *
 * @example listingRoute(app, 'items', (o) => engine.listItems(o))
 */
export function listingRoute<T extends Item | User>(app: FastifyInstance, key: keyof typeof LISTINGS, list: (opts: PageOptions) => Promise<Page<T>>): void {
  const { operationId, ref } = LISTINGS[key];
  app.route<{ Querystring: PageQuery }>({
    method: 'GET',
    url: `/v1/${key}`,
    schema: {
      operationId,
      summary: `${key[0].toUpperCase()}${key.slice(1)} in id order, one page at a time`,
      tags: [key],
      querystring: pageQuery,
      response: { 200: pageResult(key, ref), 400: errorRef },
    },
    handler: async (request) => {
      const { limit, cursor } = request.query;
      const page = await list({ limit, after: cursor === undefined ? undefined : decodeCursor(cursor) });
      return page.after === undefined ? { [key]: page.records } : { [key]: page.records, next: encodeCursor(page.after) };
    },
  });
}
