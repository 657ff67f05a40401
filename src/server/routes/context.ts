import type { FastifyRequest } from 'fastify';
import { EngineError } from '../../core/errors.js';
import type { Engine } from '../../engine-types.js';

/** What every route module needs: the engine it fronts and the request limits from config. */
export interface RouteContext {
  engine: Engine;
  maxBatch: number;
}

/** Response schema of every error answer. */
export const errorRef = { $ref: 'Error' } as const;

/** Response schema of the bulk upserts (items, users). */
export const upsertResult = {
  type: 'object',
  required: ['upserted', 'merged'],
  properties: {
    upserted: { type: 'integer', description: 'Distinct ids written' },
    merged: { type: 'integer', description: 'Records replaced by a later record with the same id in this request (the last one wins)' },
  },
} as const;

/**
 * A preValidation hook rejecting a bulk body with more than `maxBatch` records (413) before the records are validated.
 *
 * @example app.post('/v1/items', { preValidation: batchLimit('items', 50_000) }, handler)
 */
export function batchLimit(key: 'items' | 'users' | 'events', maxBatch: number) {
  return async (request: FastifyRequest): Promise<void> => {
    const body = request.body as Record<string, unknown> | null | undefined;
    const records = typeof body === 'object' && body !== null ? body[key] : undefined;
    if (Array.isArray(records) && records.length > maxBatch) {
      throw new EngineError('PAYLOAD_TOO_LARGE', `at most ${maxBatch} ${key} per request (server.maxBatch); got ${records.length}`, {
        path: `/${key}`,
        limit: maxBatch,
        count: records.length,
      });
    }
  };
}
