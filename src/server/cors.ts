import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type';
/** Browsers let scripts read only these extra headers of a cross-origin answer. */
const EXPOSED_HEADERS = 'retry-after, www-authenticate';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** True when an `Origin` header is one of server.corsOrigins (`*` admits every origin). */
function originAllowed(origins: readonly string[], origin: string | undefined): origin is string {
  return origin !== undefined && (origins.includes('*') || origins.includes(origin));
}

/**
 * CORS for server.corsOrigins (hand-written: a few headers, no new dependency). With no origins nothing changes: no
 * CORS headers, OPTIONS is an unknown route. Otherwise an allowed origin gets Access-Control-Allow-Origin (its own
 * value, with Vary: Origin) on every answer, errors included, and preflight OPTIONS requests are answered 204 with
 * the methods and headers the API takes; a preflight from another origin gets 204 without them, so the browser
 * refuses the real request. Preflights need no API key (browsers never send one).
 *
 * @example cors(app, ['https://shop.example'])
 */
export function cors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const allowOrigin = (request: FastifyRequest, reply: FastifyReply): boolean => {
    reply.header('vary', 'Origin');
    if (!originAllowed(origins, request.headers.origin)) return false;
    reply.header('access-control-allow-origin', request.headers.origin);
    return true;
  };
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'OPTIONS' && allowOrigin(request, reply)) reply.header('access-control-expose-headers', EXPOSED_HEADERS);
  });
  app.options('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (allowOrigin(request, reply) && request.headers['access-control-request-method'] !== undefined) {
      reply.headers({
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
      });
    }
    return reply.code(204).send();
  });
}
