import type { FastifyInstance, FastifyRequest } from 'fastify';
import { trainingRequest } from '../../jobs/training-run.js';
import { modelDefinition } from '../../models/registry.js';
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
    // An empty POST (no body at all) means "train with the configured defaults"; a JSON `null` body is invalid.
    preValidation: async (request: FastifyRequest) => {
      if (request.body === undefined) request.body = {};
    },
    handler: async (request) => {
      const { model, params, tune, budgetSeconds } = request.body;
      // Check the model, its params and the tuning options before anything runs: a bad request must not start (or join) a training.
      trainingRequest({ model, params, tune, budgetSeconds }, engine.config);
      const definition = modelDefinition(model ?? engine.config.train.model);
      if (params !== undefined) definition.parseParams(params);
      return engine.train({ model, params, tune, budgetSeconds });
    },
  });
}
