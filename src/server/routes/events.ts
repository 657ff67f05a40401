import type { FastifyInstance } from 'fastify';
import type { Event } from '../../core/types.js';
import { eventsBody } from '../request-schemas.js';
import { batchLimit, errorRef, type RouteContext } from './context.js';

const addEventsResult = {
  type: 'object',
  required: ['accepted', 'duplicates', 'repeats', 'conflicts'],
  properties: {
    accepted: { type: 'integer', description: 'Events written now' },
    duplicates: { type: 'integer', description: 'Events whose id was already stored (re-sent batches are safe)' },
    repeats: { type: 'integer', description: 'Events repeating an earlier event of this request: same id, same content (written once)' },
    conflicts: { type: 'integer', description: 'Events reusing the id of an earlier event of this request with different content (not written; the first is)' },
  },
} as const;

/**
 * Event ingestion: bulk, all or nothing, idempotent by event id.
 *
 * @example eventRoutes(app, { engine, maxBatch: 50_000 })
 */
export function eventRoutes(app: FastifyInstance, { engine, maxBatch }: RouteContext): void {
  app.route<{ Body: { events: Event[] } }>({
    method: 'POST',
    url: '/v1/events',
    schema: {
      operationId: 'addEvents',
      summary: 'Record events (all or nothing; idempotent by event id; an id repeated in one request is written once)',
      tags: ['events'],
      body: eventsBody,
      response: { 200: addEventsResult, 400: errorRef, 413: errorRef },
    },
    preValidation: batchLimit('events', maxBatch),
    handler: async (request) => engine.addEvents(request.body.events),
  });
}
