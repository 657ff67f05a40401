import type { FastifyInstance } from 'fastify';
import { buildOpenApi, type OpenApiDocument, type OpenApiOptions, type RouteRecord } from '../openapi.js';

/**
 * GET /openapi.json (open): the OpenAPI 3.1 document, built once on first use from the routes registered by then.
 * Returns the document's getter (Swagger UI shows the same document).
 *
 * @example const document = openApiRoute(app, routes, { title: 'Kindred', version: '0.1.0', authEnabled: false })
 */
export function openApiRoute(app: FastifyInstance, routes: readonly RouteRecord[], opts: OpenApiOptions): () => OpenApiDocument {
  let doc: OpenApiDocument | undefined;
  const document = () => (doc ??= buildOpenApi(routes, app.getSchemas(), opts));
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
    handler: async () => document(),
  });
  return document;
}
