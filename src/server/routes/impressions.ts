import type { FastifyInstance } from 'fastify';
import type { ImpressionList } from '../../care/impressions.js';
import { EngineError, isEngineError } from '../../core/errors.js';
import { idStringSchema } from '../../core/schemas.js';
import { errorRef, type RouteContext } from './context.js';

const impressionList = {
  type: 'object',
  required: ['userId', 'itemIds'],
  additionalProperties: false,
  properties: {
    userId: idStringSchema,
    itemIds: { type: 'array', minItems: 1, items: idStringSchema, description: 'The items shown to the user in one list' },
    timestamp: { type: 'string', format: 'date-time', description: 'When the list was shown (default: now)' },
  },
} as const;

/** A recommendation answer's impressionToken, echoed back once the list was shown. */
const impressionToken = {
  type: 'object',
  required: ['token'],
  additionalProperties: false,
  properties: { token: { type: 'string', minLength: 1, maxLength: 1_000_000, description: 'The impressionToken of a recommendation answer' } },
} as const;

const impressionsResult = {
  type: 'object',
  required: ['recorded', 'duplicates'],
  properties: {
    recorded: { type: 'integer', description: 'Impressions written now' },
    duplicates: { type: 'integer', description: 'Impressions already stored for the same user, item and timestamp, or repeated in this request' },
  },
} as const;

/**
 * An error about list 0 when the body was one list, not a list of them: its path points into that body
 * (`/0/timestamp` becomes `/timestamp`).
 */
function pathInSingleList(err: unknown): unknown {
  if (!isEngineError(err) || typeof err.details.path !== 'string' || !/^\/0(\/|$)/.test(err.details.path)) return err;
  return new EngineError(err.code, err.message, { ...err.details, path: err.details.path.slice(2) || '/' });
}

/**
 * Impressions: which items a user was shown, stored as `impression` events for the fatigue stage (docs/care.md).
 * 201 when anything was written, 200 when every impression was already stored (a repeated post).
 *
 * @example impressionRoutes(app, { engine, maxBatch: 50_000 })
 */
export function impressionRoutes(app: FastifyInstance, { engine, maxBatch }: RouteContext): void {
  app.route<{ Body: ImpressionList | ImpressionList[] | { token: string } }>({
    method: 'POST',
    url: '/v1/impressions',
    schema: {
      operationId: 'recordImpressions',
      summary: 'Record the items shown to a user: one list { userId, itemIds, timestamp? }, a list of them, or { token } from a recommendation answer (idempotent per user, item and timestamp; 400 for a forged or expired token)',
      tags: ['events'],
      body: { anyOf: [impressionList, { type: 'array', minItems: 1, items: impressionList }, impressionToken] },
      response: { 200: impressionsResult, 201: impressionsResult, 400: errorRef, 413: errorRef },
    },
    handler: async (request, reply) => {
      const body = request.body;
      if (!Array.isArray(body) && 'token' in body) {
        const report = await engine.recordImpressionToken(body.token);
        return reply.code(report.recorded > 0 ? 201 : 200).send(report);
      }
      const lists = Array.isArray(body) ? body : [body];
      const count = lists.reduce((n, l) => n + (Array.isArray(l.itemIds) ? l.itemIds.length : 0), 0);
      if (count > maxBatch) {
        throw new EngineError('PAYLOAD_TOO_LARGE', `at most ${maxBatch} impressions per request (server.maxBatch); got ${count}`, { path: '/', limit: maxBatch, count });
      }
      const report = await engine.recordImpressionLists(lists).catch((err: unknown) => {
        throw Array.isArray(body) ? err : pathInSingleList(err);
      });
      return reply.code(report.recorded > 0 ? 201 : 200).send(report);
    },
  });
}
