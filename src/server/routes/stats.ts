import type { FastifyInstance } from 'fastify';
import { idParams, type IdParams } from '../request-schemas.js';
import { decodeEventCursor, encodeEventCursor } from '../cursor.js';
import { LATENCY_WINDOW, type RouteLatency } from '../route-latency.js';
import {
  bucketQuery, eventTimelineSchema, itemExposureSchema, servingStatsSchema, userEventsQuery, userEventsSchema, type BucketQuery, type UserEventsQuery,
} from '../stats-schemas.js';
import { errorRef, type RouteContext } from './context.js';

/**
 * The dashboard's read routes (admin scope: personal and operator data): events over time, an item's exposure, a
 * user's timeline, and this server's latency with provider and store health.
 *
 * @example statsRoutes(app, { engine, maxBatch: 50_000, latency })
 */
export function statsRoutes(app: FastifyInstance, { engine, latency }: RouteContext & { latency: RouteLatency }): void {
  app.route<{ Querystring: BucketQuery }>({
    method: 'GET',
    url: '/v1/stats/events',
    schema: {
      operationId: 'eventStats',
      summary: 'Events per day, week or month and type, from the oldest to the newest stored event',
      tags: ['stats'],
      querystring: bucketQuery,
      response: { 200: eventTimelineSchema, 400: errorRef },
    },
    handler: async (request) => engine.eventStats({ bucket: request.query.bucket }),
  });

  app.route<{ Params: IdParams; Querystring: BucketQuery }>({
    method: 'GET',
    url: '/v1/items/:id/exposure',
    schema: {
      operationId: 'itemExposure',
      summary: "An item's impressions and other events per day, week or month, over its first to last event",
      tags: ['stats'],
      params: idParams,
      querystring: bucketQuery,
      response: { 200: itemExposureSchema, 400: errorRef, 404: errorRef },
    },
    handler: async (request) => engine.itemExposure(request.params.id, { bucket: request.query.bucket }),
  });

  app.route<{ Params: IdParams; Querystring: UserEventsQuery }>({
    method: 'GET',
    url: '/v1/users/:id/events',
    schema: {
      operationId: 'userEvents',
      summary: "A user's events, newest first, one page at a time (as in the export: review text and sentiment included)",
      tags: ['stats'],
      params: idParams,
      querystring: userEventsQuery,
      response: { 200: userEventsSchema, 400: errorRef, 404: errorRef },
    },
    handler: async (request) => {
      const { limit, cursor, types } = request.query;
      const before = cursor === undefined ? undefined : decodeEventCursor(cursor);
      const eventTypes = types?.flatMap((t) => t.split(',')).map((t) => t.trim()).filter((t) => t.length > 0);
      const page = await engine.userEvents(request.params.id, { limit, before, types: eventTypes });
      return page.next === undefined ? { events: page.events } : { events: page.events, next: encodeEventCursor(page.next) };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/stats/serving',
    schema: {
      operationId: 'servingStats',
      summary: "This server's answer times per route (last 10,000 answers of each), and the health of its providers and store",
      tags: ['stats'],
      response: { 200: servingStatsSchema },
    },
    handler: async () => ({ since: latency.since, window: LATENCY_WINDOW, routes: latency.report(), ...(await engine.serviceHealth()) }),
  });
}
