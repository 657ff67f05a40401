import type { FastifyInstance, FastifyRequest } from 'fastify';
import { trainBody, type TrainBody } from '../request-schemas.js';
import { errorRef, type RouteContext } from './context.js';

/**
 * POST /v1/train: starts a training run, or joins the one in progress (the engine runs one at a time), and answers
 * its report. The run is not tied to the request: a client that disconnects does not cancel training for the others.
 *
 * @example trainRoutes(app, { engine, maxBatch: 50_000 })
 */
export function trainRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  app.route<{ Body: TrainBody }>({
    method: 'POST',
    url: '/v1/train',
    schema: {
      operationId: 'train',
      summary: 'Train the model (joins a run already in progress) and return its report',
      tags: ['training'],
      body: trainBody,
      response: { 200: { $ref: 'TrainReport' }, 400: errorRef },
    },
    // An empty POST means "train with the configured defaults".
    preValidation: async (request: FastifyRequest) => {
      request.body ??= {};
    },
    handler: async (request) => engine.train({ model: request.body.model, params: request.body.params }),
  });
}
