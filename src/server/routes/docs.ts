import fastifySwagger, { type StaticDocumentSpec } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { OpenApiDocument } from '../openapi.js';

/** Where the interactive API documentation is served. */
export const DOCS_PREFIX = '/docs';

/**
 * Swagger UI at /docs (open, like /openapi.json), showing our own OpenAPI document. Its scripts and styles are served
 * from the installed package (no CDN), so it works offline. @fastify/swagger runs in static mode: it only hands the
 * document we generate to the UI (at /docs/json); it generates nothing itself.
 *
 * @example docsRoutes(app, () => openApiDocument)
 */
export function docsRoutes(app: FastifyInstance, document: () => OpenApiDocument): void {
  app.register(async (docs) => {
    // Encapsulated: marks only the documentation routes as public.
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    // Registered when the app boots, after every API route exists, so the document is complete.
    // The plugin's types know OpenAPI 2 and 3.0 only; it hands our 3.1 document to the UI untouched.
    const spec = document() as unknown as StaticDocumentSpec['document'];
    await docs.register(fastifySwagger, { mode: 'static', specification: { document: spec } });
    await docs.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX });
  });
}
