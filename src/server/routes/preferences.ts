import type { FastifyInstance } from 'fastify';
import type { CarePreferencesPatch } from '../../care/care-preferences.js';
import type { CareOverride } from '../../care/care-strength.js';
import { carePatchSchema, careSettingsSchema } from '../care-schema.js';
import { idParams, type IdParams } from '../request-schemas.js';
import { errorRef, type RouteContext } from './context.js';

const view = { 200: { $ref: 'CarePreferences' }, 400: errorRef, 404: errorRef } as const;

/**
 * A user's stored care preferences (docs/care.md, "Preferences and scenarios"): read, replace, patch. Their requests
 * use them under a request's own settings and over a scenario's and config; muted interests are shown here but
 * changed on the profile.
 *
 * @example preferenceRoutes(app, { engine, maxBatch: 50_000 })
 */
export function preferenceRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  app.route<{ Params: IdParams }>({
    method: 'GET',
    url: '/v1/users/:id/preferences',
    schema: {
      operationId: 'getCarePreferences',
      summary: "A user's stored care preferences and muted interests; 404 for a user with neither a record nor events",
      tags: ['users'],
      params: idParams,
      response: view,
    },
    handler: async (request) => engine.carePreferences(request.params.id),
  });

  app.route<{ Params: IdParams; Body: CareOverride }>({
    method: 'PUT',
    url: '/v1/users/:id/preferences',
    schema: {
      operationId: 'putCarePreferences',
      summary: "Replace a user's care preferences (keys left out go back to config); 400 naming a bad or unknown key",
      tags: ['users'],
      params: idParams,
      body: careSettingsSchema,
      response: view,
    },
    handler: async (request) => engine.setCarePreferences(request.params.id, request.body, { replace: true }),
  });

  app.route<{ Params: IdParams; Body: CarePreferencesPatch }>({
    method: 'PATCH',
    url: '/v1/users/:id/preferences',
    schema: {
      operationId: 'updateCarePreferences',
      summary: "Change some of a user's care preferences: a value sets a key, null clears it, keys left out keep theirs",
      tags: ['users'],
      params: idParams,
      body: carePatchSchema,
      response: view,
    },
    handler: async (request) => engine.setCarePreferences(request.params.id, request.body),
  });
}
