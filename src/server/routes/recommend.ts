import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  excludedIds, idParams, recommendQuery, searchQuery, similarQuery, type IdParams, type ListQuery, type RecommendQuery, type SearchQuery,
} from '../request-schemas.js';
import { errorRef, type RouteContext } from './context.js';

/** An AbortSignal that fires when the client goes away before the answer is sent, so the engine can stop early. */
function abortOnDisconnect(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

/**
 * Recommendation routes: a user's list, an anonymous text query, and an item's neighbours.
 *
 * @example recommendRoutes(app, { engine, maxBatch: 50_000 })
 */
export function recommendRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  app.route<{ Params: IdParams; Querystring: RecommendQuery }>({
    method: 'GET',
    url: '/v1/users/:id/recommendations',
    schema: {
      operationId: 'recommend',
      summary: "A user's recommendations; unknown users get popular items with personalised=false",
      tags: ['recommendations'],
      params: idParams,
      querystring: recommendQuery,
      response: { 200: { $ref: 'RecommendResult' }, 400: errorRef, 404: errorRef, 409: errorRef },
    },
    handler: async (request, reply) => {
      const { count, exclude, query, includeConsumed, filter, scenario, diversity, calibration, qualityFloor, novelty } = request.query;
      const care = diversity === undefined && calibration === undefined && qualityFloor === undefined && novelty === undefined ? undefined : { diversity, calibration, qualityFloor, novelty };
      return engine.recommend(request.params.id, {
        care,
        count,
        exclude: excludedIds(exclude),
        query,
        includeConsumed,
        filter,
        scenario,
        signal: abortOnDisconnect(reply),
      });
    },
  });

  app.route<{ Querystring: SearchQuery }>({
    method: 'GET',
    url: '/v1/recommendations',
    schema: {
      operationId: 'search',
      summary: 'Items matching a free-text query, for anyone (needs an embedding provider)',
      tags: ['recommendations'],
      querystring: searchQuery,
      response: { 200: { $ref: 'RecommendResult' }, 400: errorRef, 404: errorRef, 409: errorRef, 501: errorRef },
    },
    handler: async (request, reply) => {
      const { count, exclude, query, filter, scenario } = request.query;
      return engine.recommend(undefined, { count, exclude: excludedIds(exclude), query, filter, scenario, signal: abortOnDisconnect(reply) });
    },
  });

  app.route<{ Params: IdParams; Querystring: ListQuery }>({
    method: 'GET',
    url: '/v1/items/:id/similar',
    schema: {
      operationId: 'similar',
      summary: 'Items similar to an item',
      tags: ['recommendations'],
      params: idParams,
      querystring: similarQuery,
      response: { 200: { $ref: 'SimilarResult' }, 400: errorRef, 404: errorRef, 409: errorRef },
    },
    handler: async (request) => {
      const { count, exclude, filter, scenario } = request.query;
      return engine.similar(request.params.id, { count, exclude: excludedIds(exclude), filter, scenario });
    },
  });
}
