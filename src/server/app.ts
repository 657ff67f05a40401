import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerFactory } from 'fastify';
import { EngineError } from '../core/errors.js';
import { ID_MAX_LENGTH } from '../core/schemas.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Engine } from '../engine-types.js';
import { access } from './access.js';
import { authEnabled } from './auth.js';
import { cors } from './cors.js';
import { dashboardRoutes, defaultDashboardDir } from './dashboard.js';
import { answerClientError, routeNotFound, toHttpError } from './errors.js';
import { routeRecords, type RouteRecord } from './openapi.js';
import { noQuery } from './request-schemas.js';
import { logRequests, routePattern, thrownAt } from './request-log.js';
import { recordRouteLatency } from './route-latency.js';
import { docsRoutes } from './routes/docs.js';
import { evalReportRoutes } from './routes/eval-reports.js';
import { eventRoutes } from './routes/events.js';
import { feedbackRoutes } from './routes/feedback.js';
import { impressionRoutes } from './routes/impressions.js';
import { healthRoutes } from './routes/health.js';
import { itemRoutes } from './routes/items.js';
import { modelRoutes } from './routes/models.js';
import { preferenceRoutes } from './routes/preferences.js';
import { profileRoutes } from './routes/profile.js';
import { openApiRoute } from './routes/openapi.js';
import { recommendRoutes } from './routes/recommend.js';
import { scenarioRoutes } from './routes/scenarios.js';
import { statsRoutes } from './routes/stats.js';
import { trainRoutes } from './routes/train.js';
import { userRoutes } from './routes/users.js';
import { createValidatorCompiler, SHARED_SCHEMAS } from './validation.js';

export interface AppOptions {
  logger?: Logger;
  /** API keys; default engine.config.server.apiKeys. Empty: no auth. */
  apiKeys?: string[];
  /** Default engine.config.server.bodyLimitMb. */
  bodyLimitMb?: number;
  /** Default engine.config.server.maxBatch. */
  maxBatch?: number;
  /** Folder of the built dashboard; default dist/web of this package (used when server.dashboard is true). */
  dashboardDir?: string;
}

/** The PEM certificate and key of server.tlsCert / server.tlsKey, or undefined for plain HTTP. */
function tlsFiles(server: Engine['config']['server']): { cert: Buffer; key: Buffer } | undefined {
  if (server.tlsCert === '' && server.tlsKey === '') return undefined;
  const read = (path: string, key: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new EngineError('INVALID_CONFIG', `config ${key}: cannot read the file (${reason})`, { path: key });
    }
  };
  return { cert: read(server.tlsCert, 'server.tlsCert'), key: read(server.tlsKey, 'server.tlsKey') };
}

/**
 * Fastify's server: HTTPS over server.tlsCert/tlsKey when set, else plain HTTP. A factory rather than Fastify's
 * `https` option keeps one app type for both (an https.Server serves the same request events as an http.Server).
 */
function serverFactory(tls: { cert: Buffer; key: Buffer } | undefined): FastifyServerFactory<Server> {
  return (handler) => (tls ? (createHttpsServer(tls, handler) as unknown as Server) : createHttpServer(handler));
}

/** The package version for the OpenAPI document; read on demand (never at import). src/server and dist/server sit two levels down. */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Builds the Fastify instance serving the HTTP API over an engine (not listening yet; `startServer` listens).
 * The caller owns the engine: closing the app does not close it.
 *
 * @example const app = buildApp(engine, { logger }); await app.ready()
 */
export function buildApp(engine: Engine, opts: AppOptions = {}): FastifyInstance {
  const logger = opts.logger ?? silentLogger;
  const apiKeys = opts.apiKeys ?? engine.config.server.apiKeys;
  const maxBatch = opts.maxBatch ?? engine.config.server.maxBatch;
  const app = Fastify({
    // No Fastify logger: its request logs would print URLs (ids, query text); logRequests logs what is safe.
    logger: false,
    bodyLimit: Math.floor((opts.bodyLimitMb ?? engine.config.server.bodyLimitMb) * 1024 * 1024),
    // The router checks decoded path parameters; this bound admits any valid id however it is written (even 4 UTF-8
    // bytes per character, percent-encoded), so an id too long is a 400 from its schema, the same as in bodies.
    routerOptions: { maxParamLength: ID_MAX_LENGTH * 12 },
    // Router errors (bad percent-encoding, an over-long parameter) get the documented error shape, not the URL back.
    frameworkErrors: (err, _request, reply) => {
      const { status, body, headers } = toHttpError(err);
      // The option is generic over the route's reply types; this handler answers before any route is matched.
      (reply as unknown as FastifyReply).code(status).headers(headers ?? {}).send(body);
    },
    clientErrorHandler: answerClientError,
    serverFactory: serverFactory(tlsFiles(engine.config.server)),
  });

  app.setValidatorCompiler(createValidatorCompiler());
  // Response schemas document the API; serialising with them would silently drop fields the engine adds.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  const routes: RouteRecord[] = [];
  app.addHook('onRoute', (route) => {
    // API routes without query parameters still reject unknown ones (400), like every route that declares some.
    if (route.schema?.operationId !== undefined && route.schema.querystring === undefined) route.schema = { ...route.schema, querystring: noQuery };
    routes.push(...routeRecords(route));
  });

  // CORS first: its headers go on every answer, the 401, 403 and 429 of access() included.
  cors(app, engine.config.server.corsOrigins);
  access(app, { apiKeys, rateLimit: { perSecond: engine.config.server.rateLimit, burst: engine.config.server.rateBurst } });
  logRequests(app, logger);
  const latency = recordRouteLatency(app, new Date().toISOString());

  app.setErrorHandler(async (err, request, reply) => {
    const { status, body, headers } = toHttpError(err);
    if (status >= 500) {
      logger.error('http request failed', { method: request.method, route: routePattern(request), code: body.error.code, error: err instanceof Error ? err.name : typeof err, at: thrownAt(err) });
    }
    return reply.code(status).headers(headers ?? {}).send(body);
  });
  app.setNotFoundHandler(async (_request, reply) => {
    const { status, body } = routeNotFound();
    return reply.code(status).send(body);
  });

  // The dashboard's files (public) and its index.html for non-API paths; the API routes below keep their auth.
  if (engine.config.server.dashboard) dashboardRoutes(app, opts.dashboardDir ?? defaultDashboardDir());
  const ctx = { engine, maxBatch };
  healthRoutes(app, ctx);
  itemRoutes(app, ctx);
  userRoutes(app, ctx);
  eventRoutes(app, ctx);
  impressionRoutes(app, ctx);
  recommendRoutes(app, ctx);
  trainRoutes(app, ctx);
  modelRoutes(app, ctx);
  profileRoutes(app, ctx);
  feedbackRoutes(app, ctx);
  preferenceRoutes(app, ctx);
  scenarioRoutes(app, ctx);
  statsRoutes(app, { ...ctx, latency });
  evalReportRoutes(app, ctx);
  // Last: Swagger UI takes the OpenAPI document as it stands when the app boots.
  docsRoutes(app, openApiRoute(app, routes, { title: 'Kindred', version: packageVersion(), authEnabled: authEnabled(apiKeys), rateLimited: engine.config.server.rateLimit > 0 }));
  return app;
}

export interface ServerOptions {
  /** Default engine.config.server.host. */
  host?: string;
  /** Default engine.config.server.port; 0 picks a free port. */
  port?: number;
  logger?: Logger;
  /** Default engine.config.server.apiKeys. */
  apiKeys?: string[];
  /** Folder of the built dashboard; default dist/web of this package. */
  dashboardDir?: string;
}

export interface RunningServer {
  /** Base URL clients use, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Stops accepting requests and waits for in-flight ones; the engine stays open (the caller owns it). */
  close(): Promise<void>;
}

/**
 * Serves the HTTP API over an engine (used by `kindred serve` and `kindred demo`).
 *
 * @example const server = await startServer(engine, { host: '127.0.0.1', port: 0, logger }); createClient({ baseUrl: server.url })
 */
export async function startServer(engine: Engine, opts: ServerOptions = {}): Promise<RunningServer> {
  const app = buildApp(engine, { logger: opts.logger, apiKeys: opts.apiKeys, dashboardDir: opts.dashboardDir });
  const host = opts.host ?? engine.config.server.host;
  await app.listen({ host, port: opts.port ?? engine.config.server.port });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new EngineError('INTERNAL', 'server is not listening on a TCP port');
  }
  // A wildcard address is not something a client can dial; loopback reaches it from this machine.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const scheme = engine.config.server.tlsCert === '' ? 'http' : 'https';
  const url = `${scheme}://${reachable}:${address.port}`;
  opts.logger?.info('http listening', { url });
  return { url, close: () => app.close() };
}
