import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RecommendOptions } from '../../engine-types.js';
import { CARE_KEYS } from '../../care/care-settings.js';
import type { CareOverride } from '../../care/care-strength.js';
import {
  excludedIds, idParams, recommendQuery, searchQuery, similarQuery, userItemParams, whyQuery,
  type IdParams, type RecommendQuery, type SearchQuery, type SimilarQuery, type UserItemParams, type WhyQuery,
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

/** The engine options of a user's list from the query string (recommend and why share them). */
function listOptions(q: WhyQuery): RecommendOptions {
  const { count, exclude, query, includeConsumed, filter, scenario } = q;
  return { care: careOfQuery(q), count, exclude: excludedIds(exclude), query, includeConsumed, filter, scenario };
}

/**
 * The care settings a recommend query sets (undefined when it sets none): every query parameter named like a care
 * setting (the query schema admits only those a request may set; the engine checks their ranges again).
 */
function careOfQuery(q: WhyQuery): CareOverride | undefined {
  const query = q as Record<string, unknown>;
  const care: Record<string, unknown> = {};
  for (const key of CARE_KEYS.keys()) if (query[key] !== undefined) care[key] = query[key];
  return Object.keys(care).length > 0 ? (care as CareOverride) : undefined;
}

/**
 * Recommendation routes: a user's list, why an item is (or is not) in it, an anonymous text query, and an item's neighbours.
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
      return engine.recommend(request.params.id, { ...listOptions(request.query), explain: request.query.explain, moves: request.query.moves, signal: abortOnDisconnect(reply) });
    },
  });

  app.route<{ Params: UserItemParams; Querystring: WhyQuery }>({
    method: 'GET',
    url: '/v1/users/:id/recommendations/:item/why',
    schema: {
      operationId: 'why',
      summary: 'Why am I seeing this? Where the item stands in the user\'s list (computed live with these options), the channels and stages that placed and moved it, and its reasons; or what kept it out',
      tags: ['recommendations'],
      params: userItemParams,
      querystring: whyQuery,
      response: { 200: { $ref: 'WhyResult' }, 400: errorRef, 404: errorRef, 409: errorRef },
    },
    handler: async (request) => engine.why(request.params.id, request.params.item, listOptions(request.query)),
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

  app.route<{ Params: IdParams; Querystring: SimilarQuery }>({
    method: 'GET',
    url: '/v1/items/:id/similar',
    schema: {
      operationId: 'similar',
      summary: 'Items similar to an item, by the collaborative model, by item text embeddings, or the first that knows the item',
      tags: ['recommendations'],
      params: idParams,
      querystring: similarQuery,
      response: { 200: { $ref: 'SimilarResult' }, 400: errorRef, 404: errorRef, 409: errorRef, 501: errorRef },
    },
    handler: async (request) => {
      const { by, count, exclude, filter, scenario } = request.query;
      return engine.similar(request.params.id, { by, count, exclude: excludedIds(exclude), filter, scenario });
    },
  });
}
