import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Where `npm run build` writes the dashboard (vite build, web/vite.config.ts). src/server and dist/server both sit
 * two levels below the package root, so one relative URL finds it from the sources and from the compiled code.
 */
export function defaultDashboardDir(): string {
  return fileURLToPath(new URL('../../dist/web/', import.meta.url));
}

/**
 * What `kindred serve` and `kindred demo` print about the dashboard: its address, why there is none, or undefined
 * when it is turned off (server.dashboard=false).
 *
 * @example dashboardNote(true, 'http://127.0.0.1:8080') // 'Dashboard: http://127.0.0.1:8080/'
 */
export function dashboardNote(enabled: boolean, url: string, dir = defaultDashboardDir()): string | undefined {
  if (!enabled) return undefined;
  if (!existsSync(join(dir, 'index.html'))) return `Dashboard: not built (run npm run build); ${url}/ says how`;
  return `Dashboard: ${url}/`;
}

/**
 * The dashboard's pages as paths (web/src/routing.ts PAGES): `/users/42` answers index.html, which turns it into
 * `/#/users/42`, so a typed or shared address opens the page. Only these: every other unknown path keeps the API's
 * answers (auth first, then 404), and API routes are never shadowed by a catch-all.
 */
export const PAGE_PATHS = ['/overview', '/users', '/users/:id', '/items', '/items/:id', '/evaluation', '/evaluation/:name', '/try', '/api'];

const HIDDEN = { schema: { hide: true } };

/**
 * The page's policy: scripts, styles and requests from this origin only (no CDN, nothing injected can call out);
 * inline styles for the charts' SVG and the embedded evaluation report; data: images of that report.
 */
const PAGE_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

const NOT_BUILT = [
  'The Kindred dashboard is not built on this server (dist/web/index.html is missing).',
  'Build it with `npm run build` in the Kindred folder, or turn it off with server.dashboard=false.',
  'The API is served as usual under /v1; its documentation is at /docs.',
  '',
].join('\n');

/**
 * Serves the dashboard's static files at / (public: the pages hold no data; every API call they make needs a key like
 * any other), and index.html at its page paths (PAGE_PATHS). Without a built dashboard, / answers a plain-text note
 * on how to build it.
 *
 * @example dashboardRoutes(app, defaultDashboardDir())
 */
export function dashboardRoutes(app: FastifyInstance, dir: string): void {
  app.register(async (web) => {
    // Encapsulated: marks only the dashboard's routes as public. They are left out of the OpenAPI document by
    // `hide` on each (the app's own onRoute hook runs before this one, so it must be set on the route itself).
    web.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    if (!existsSync(join(dir, 'index.html'))) {
      web.get('/', HIDDEN, async (_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send(NOT_BUILT));
      return;
    }
    // One route per file found now (wildcard: false): no catch-all shadows unknown API paths, and a new build is
    // served after a restart. Assets have hashed names, so browsers may keep them for long; index.html is always
    // revalidated to pick up a new build.
    await web.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: false,
      schemaHide: true,
      // The build writes .br and .gz beside each asset (web/vite.config.ts): sent to browsers that accept them.
      preCompressed: true,
      // Only the originals get routes; their compressed forms are chosen by Accept-Encoding.
      globIgnore: ['**/*.br', '**/*.gz'],
      // '/' is answered below: the plugin's own index route misses index.html when a compressed copy is asked for.
      index: false,
      setHeaders: (reply, path) => {
        const page = path.endsWith('.html');
        reply.header('cache-control', page ? 'no-cache' : 'public, max-age=31536000, immutable');
        if (page) reply.header('content-security-policy', PAGE_CSP);
      },
    });
    for (const path of ['/', ...PAGE_PATHS]) web.get(path, HIDDEN, async (_request, reply) => reply.sendFile('index.html'));
  });
}
