import type { FastifyInstance, FastifyRequest } from 'fastify';
import { trainBody, type TrainBody } from '../request-schemas.js';
import { errorRef, type RouteContext } from './context.js';

/**
 * POST /v1/train: starts a training run, or joins the one in progress when it fits the same model and params, and
 * answers its report (with the run's job id). A different training while one runs answers 409 CONFLICT naming the
 * running job's id. The run is not tied to the request: a client that disconnects does not cancel it for the others.
 *
 * @example trainRoutes(app, { engine, maxBatch: 50_000 })
 */
export function trainRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  app.route<{ Body: TrainBody }>({
    method: 'POST',
    url: '/v1/train',
    schema: {
      operationId: 'train',
      summary: 'Train the model (joins an equal run in progress; 409 with its job id when a different one runs) and return its report',
      tags: ['training'],
      body: trainBody,
      response: { 200: { $ref: 'TrainReport' }, 400: errorRef, 409: errorRef },
    },
    // An empty POST means "train with the configured defaults".
    preValidation: async (request: FastifyRequest) => {
      request.body ??= {};
    },
    handler: async (request) => engine.train({ model: request.body.model, params: request.body.params }),
  });
}
