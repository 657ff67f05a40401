import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../core/logger.js';

/** The route pattern (`/v1/users/:id/recommendations`), never the raw URL: ids and query text stay out of logs. */
export function routePattern(request: FastifyRequest): string {
  return request.routeOptions.url ?? '(no route)';
}

/** Where in our code an error was thrown (file:line of the first stack frame), without its message (it may quote data). */
export function thrownAt(err: unknown): string | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  const frame = stack?.split('\n').find((line) => line.trimStart().startsWith('at '));
  return frame?.trim().slice(3);
}

/**
 * Logs one line per answered request with method, route pattern, status and milliseconds. Bodies, query strings
 * and review text are never logged.
 *
 * @example logRequests(app, createLogger('info'))
 */
export function logRequests(app: FastifyInstance, logger: Logger): void {
  app.addHook('onResponse', async (request, reply) => {
    logger.info('http', {
      method: request.method,
      route: routePattern(request),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    });
  });
}
