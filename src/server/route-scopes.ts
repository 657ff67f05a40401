import type { ApiKeyScope } from '../config/api-keys.js';

/**
 * Routes that need the admin scope: they change what every user is served (training, model rollback, scenarios),
 * remove a person's data for good (erase) or hand all of it out (export), or show what the dashboard shows (events of
 * everyone, one person's timeline, serving health). Listed here, in one place, so a review of who may do what reads one
 * table. Keys are `METHOD /route/pattern` as Fastify registers them.
 */
export const ADMIN_ROUTES: ReadonlySet<string> = new Set([
  'POST /v1/train',
  'POST /v1/models/rollback',
  'PUT /v1/scenarios/:name',
  'DELETE /v1/scenarios/:name',
  'DELETE /v1/users/:id',
  'GET /v1/users/:id/export',
  'HEAD /v1/users/:id/export',
  // The dashboard's reads: events of every user, one user's timeline, operator data.
  'GET /v1/stats/events',
  'HEAD /v1/stats/events',
  'GET /v1/stats/serving',
  'HEAD /v1/stats/serving',
  'GET /v1/items/:id/exposure',
  'HEAD /v1/items/:id/exposure',
  'GET /v1/users/:id/events',
  'HEAD /v1/users/:id/events',
  'GET /v1/eval/reports',
  'HEAD /v1/eval/reports',
  'GET /v1/eval/reports/:name',
  'HEAD /v1/eval/reports/:name',
  'GET /v1/eval/reports/:name/html',
  'HEAD /v1/eval/reports/:name/html',
]);

/**
 * The scope a route needs: admin for ADMIN_ROUTES, read for GET and HEAD, write for every other method (item, user,
 * event, impression, feedback and preference writes).
 *
 * @example requiredScope('POST', '/v1/events') // 'write'
 */
export function requiredScope(method: string, url: string): ApiKeyScope {
  if (ADMIN_ROUTES.has(`${method} ${url}`)) return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}
