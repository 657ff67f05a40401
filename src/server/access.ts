import type { FastifyInstance, FastifyReply } from 'fastify';
import { scopeAllows } from '../config/api-keys.js';
import { createCallerLookup } from './auth.js';
import { forbidden, rateLimited, unauthorized, type HttpError } from './errors.js';
import { createRateLimiter, type RateLimitSettings } from './rate-limit.js';
import { requiredScope } from './route-scopes.js';

export interface AccessOptions {
  /** server.apiKeys; empty: no authentication (every caller has every scope). */
  apiKeys: readonly string[];
  rateLimit: RateLimitSettings;
}

function answer(reply: FastifyReply, { status, body, headers }: HttpError): FastifyReply {
  return reply.code(status).headers(headers ?? {}).send(body);
}

/**
 * Who may call what, in one onRequest hook for every route not marked public, in this order: the rate limit (per
 * key, or per client address for requests without a known key, so guessing keys is limited too) → 429; no or
 * unknown key while keys are configured → 401; a key whose scope does not cover the route (route-scopes.ts) → 403.
 *
 * @example access(app, { apiKeys: ['read:k1'], rateLimit: { perSecond: 0, burst: 1 } })
 */
export function access(app: FastifyInstance, opts: AccessOptions): void {
  const lookup = createCallerLookup(opts.apiKeys);
  const authRequired = opts.apiKeys.length > 0;
  const limiter = createRateLimiter(opts.rateLimit);
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public === true) return;
    const caller = lookup(request.headers.authorization);
    // Bucket names carry a key's position in server.apiKeys or the client's address, never a key.
    const decision = limiter.take(caller.kind === 'key' ? `key:${caller.index}` : `address:${request.ip}`);
    if (!decision.allowed) return answer(reply, rateLimited(decision.retryAfterSeconds));
    if (!authRequired) return;
    if (caller.kind === 'anonymous') return answer(reply, unauthorized());
    const needed = requiredScope(request.method, request.routeOptions.url ?? '');
    if (!scopeAllows(caller.scope, needed)) return answer(reply, forbidden(needed));
  });
}
