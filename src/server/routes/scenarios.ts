import type { FastifyInstance } from 'fastify';
import { scenarioBody, scenarioNameParams, type ScenarioBody, type ScenarioNameParams } from '../scenario-schema.js';
import { errorRef, type RouteContext } from './context.js';

/**
 * Stored scenarios (named sets of request rules: filter, list length, recall quotas), used by `?scenario=` on the
 * recommendation routes. A PUT takes effect on this server's next request and within 2 s on other servers.
 *
 * @example scenarioRoutes(app, { engine, maxBatch: 50_000 })
 */
export function scenarioRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  app.route<{ Params: ScenarioNameParams; Body: ScenarioBody }>({
    method: 'PUT',
    url: '/v1/scenarios/:name',
    schema: {
      operationId: 'putScenario',
      summary: 'Create or replace a scenario; a bad filter is a 400 whose details give its position and length',
      tags: ['scenarios'],
      params: scenarioNameParams,
      body: scenarioBody,
      response: { 200: { $ref: 'Scenario' }, 400: errorRef },
    },
    handler: async (request) => engine.putScenario({ ...request.body, name: request.params.name }),
  });

  app.route<{ Params: ScenarioNameParams }>({
    method: 'GET',
    url: '/v1/scenarios/:name',
    schema: {
      operationId: 'getScenario',
      summary: 'A stored scenario',
      tags: ['scenarios'],
      params: scenarioNameParams,
      response: { 200: { $ref: 'Scenario' }, 400: errorRef, 404: errorRef },
    },
    handler: async (request) => engine.getScenario(request.params.name),
  });

  app.route({
    method: 'GET',
    url: '/v1/scenarios',
    schema: {
      operationId: 'listScenarios',
      summary: 'Every stored scenario, in name order',
      tags: ['scenarios'],
      response: { 200: { $ref: 'ScenarioList' } },
    },
    handler: async () => ({ scenarios: await engine.listScenarios() }),
  });

  app.route<{ Params: ScenarioNameParams }>({
    method: 'DELETE',
    url: '/v1/scenarios/:name',
    schema: {
      operationId: 'deleteScenario',
      summary: 'Delete a scenario; requests naming it get 404 afterwards',
      tags: ['scenarios'],
      params: scenarioNameParams,
      response: { 204: { description: 'Deleted', type: 'null' }, 400: errorRef, 404: errorRef },
    },
    handler: async (request, reply) => {
      await engine.deleteScenario(request.params.name);
      return reply.code(204).send();
    },
  });
}
