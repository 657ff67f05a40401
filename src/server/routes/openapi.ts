import type { FastifyInstance } from 'fastify';
import { buildOpenApi, type OpenApiDocument, type OpenApiOptions, type RouteRecord } from '../openapi.js';

/**
 * GET /openapi.json (open): the OpenAPI 3.1 document, built once on first request from the routes registered by then.
 *
 * @example openApiRoute(app, routes, { title: 'Kindred', version: '0.1.0', authEnabled: false })
 */
export function openApiRoute(app: FastifyInstance, routes: readonly RouteRecord[], opts: OpenApiOptions): void {
  let doc: OpenApiDocument | undefined;
  app.route({
    method: 'GET',
    url: '/openapi.json',
    config: { public: true },
    schema: {
      operationId: 'openapi',
      summary: 'This OpenAPI 3.1 document (no auth)',
      tags: ['system'],
      response: { 200: { type: 'object', description: 'OpenAPI 3.1 document' } },
    },
    handler: async () => (doc ??= buildOpenApi(routes, app.getSchemas(), opts)),
  });
}
