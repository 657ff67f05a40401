import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { trainingRequest } from '../../jobs/training-run.js';
import { modelDefinition } from '../../models/registry.js';
import { trainBody, type TrainBody } from '../request-schemas.js';
import { errorRef, type RouteContext } from './context.js';

/** The 202 answer of an API server: the queued request's job reference. */
const queuedTraining = {
  type: 'object',
  required: ['jobId', 'queuedAt', 'status'],
  properties: {
    jobId: { type: 'string', description: 'The trainer records it in the trained version\'s meta.jobId (GET /v1/models)' },
    queuedAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', const: 'queued' },
  },
} as const;

/**
 * POST /v1/train: starts a training run, or joins the one in progress when it fits the same model and params, and
 * answers its report (with the run's job id). A different training while one runs answers 409 CONFLICT naming the
 * running job's id. The run is not tied to the request: a client that disconnects does not cancel it for the others.
 * On an API server (`serve --role api`) nothing is fitted here: the request is queued in the store for the trainer
 * and answered 202 with its job id (docs/deploy.md).
 *
 * @example trainRoutes(app, { engine, maxBatch: 50_000 })
 */
export function trainRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  app.route<{ Body: TrainBody }>({
    method: 'POST',
    url: '/v1/train',
    schema: {
      operationId: 'train',
      summary: 'Train the model (joins an equal run in progress; 409 with its job id when a different one runs) and return its report; on an API server (role api) queue it for the trainer (202 with its job id)',
      tags: ['training'],
      body: trainBody,
      response: { 200: { $ref: 'TrainReport' }, 202: queuedTraining, 400: errorRef, 409: errorRef },
    },
    // An empty POST (no body at all) means "train with the configured defaults"; a JSON `null` body is invalid.
    preValidation: async (request: FastifyRequest) => {
      if (request.body === undefined) request.body = {};
    },
    handler: async (request, reply: FastifyReply) => {
      const { model, params, tune, budgetSeconds } = request.body;
      // Check the model, its params and the tuning options before anything runs: a bad request must not start (or join) a training.
      trainingRequest({ model, params, tune, budgetSeconds }, engine.config);
      const definition = modelDefinition(model ?? engine.config.train.model);
      if (params !== undefined) definition.parseParams(params);
      if (engine.config.server.role === 'api') return reply.code(202).send(await engine.queueTraining({ model, params, tune, budgetSeconds }));
      return engine.train({ model, params, tune, budgetSeconds });
    },
  });
}
