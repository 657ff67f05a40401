import type { FastifySchema, RouteOptions } from 'fastify';
import { requiredScope } from './route-scopes.js';

// Documentation keys on route schemas and the `public` flag on route config, read by this builder and by auth.
declare module 'fastify' {
  interface FastifySchema {
    operationId?: string;
    summary?: string;
    description?: string;
    tags?: string[];
    /** Not part of the documented API. */
    hide?: boolean;
  }
  interface FastifyContextConfig {
    /** Served without an API key (health probe, OpenAPI document). */
    public?: boolean;
  }
}

type JsonObject = { [key: string]: unknown };

/** One registered route as the OpenAPI builder sees it. */
export interface RouteRecord {
  method: string;
  url: string;
  schema?: FastifySchema;
  public: boolean;
}

export interface OpenApiOptions {
  title: string;
  version: string;
  /** Whether API keys are configured: adds the bearer scheme, `security` (with the scope needed) and 401/403 answers to protected routes. */
  authEnabled: boolean;
  /** Whether server.rateLimit is on: adds 429 answers to protected routes. */
  rateLimited?: boolean;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: Record<string, JsonObject>; securitySchemes?: Record<string, JsonObject> };
}

const STATUS_TEXT: Record<string, string> = {
  200: 'OK',
  204: 'No content',
  400: 'Invalid input: details name the JSON path, and for bulk bodies the row and field',
  401: 'Missing or unknown API key',
  403: "The API key's scope does not cover this route (details.scope names the scope needed)",
  404: 'Unknown id',
  409: 'Conflict, e.g. no trained model yet',
  413: 'More than server.maxBatch records, or a body above server.bodyLimitMb',
  429: 'Over server.rateLimit for this key or client address: retry after the Retry-After header (whole seconds)',
  500: 'Internal error',
};

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy with `$ref: 'Item'` / `'Item#'` pointed at `#/components/schemas/Item` and `$id` dropped. */
function toOpenApiSchema(schema: unknown, components: ReadonlySet<string>): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toOpenApiSchema(s, components));
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$id') continue;
    if (key === '$ref' && typeof value === 'string') {
      const name = value.replace(/#$/, '');
      out.$ref = components.has(name) ? `#/components/schemas/${name}` : value;
    } else {
      out[key] = toOpenApiSchema(value, components);
    }
  }
  return out;
}

function parameters(where: 'path' | 'query', schema: unknown, components: ReadonlySet<string>): JsonObject[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties).map(([name, prop]) => {
    const { description, ...rest } = isObject(prop) ? prop : {};
    const param: JsonObject = { name, in: where, required: where === 'path' || required.has(name) };
    if (typeof description === 'string') param.description = description;
    param.schema = toOpenApiSchema(rest, components);
    // Lists in the query string are comma-separated: exclude=a,b.
    if (where === 'query' && rest.type === 'array') Object.assign(param, { style: 'form', explode: false });
    return param;
  });
}

const errorAnswer = (status: number): JsonObject => ({ description: STATUS_TEXT[status], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** Which access answers a route can give: 401 and 403 with keys (403 only where a key can lack the scope), 429 with a rate limit. */
interface AccessAnswers {
  auth: boolean;
  forbidden: boolean;
  rateLimited: boolean;
}

function responses(schema: FastifySchema, accessAnswers: AccessAnswers, components: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  const declared = isObject(schema.response) ? schema.response : {};
  for (const [status, body] of Object.entries(declared)) {
    const description = isObject(body) && typeof body.description === 'string' ? body.description : STATUS_TEXT[status] ?? 'Response';
    // A body declared per media type (`content`, e.g. the HTML report) keeps its types; every other body is JSON.
    const content = isObject(body) && isObject(body.content) ? toOpenApiSchema(body.content, components) : { 'application/json': { schema: toOpenApiSchema(body, components) } };
    out[status] = status === '204' ? { description } : { description, content };
  }
  if (accessAnswers.auth) out[401] = errorAnswer(401);
  if (accessAnswers.forbidden) out[403] = errorAnswer(403);
  if (accessAnswers.rateLimited) {
    out[429] = { ...errorAnswer(429), headers: { 'Retry-After': { description: 'Seconds to wait (whole, at least 1)', schema: { type: 'integer', minimum: 1 } } } };
  }
  return out;
}

function operation(route: RouteRecord, opts: OpenApiOptions, components: ReadonlySet<string>): JsonObject {
  const schema = route.schema ?? {};
  const op: JsonObject = {};
  if (schema.operationId) op.operationId = schema.operationId;
  if (schema.summary) op.summary = schema.summary;
  if (schema.description) op.description = schema.description;
  if (schema.tags) op.tags = schema.tags;
  const params = [...parameters('path', schema.params, components), ...parameters('query', schema.querystring, components)];
  if (params.length > 0) op.parameters = params;
  if (schema.body) {
    // POST /v1/train accepts an empty body; every other body is required.
    const bodyRequired = isObject(schema.body) && Array.isArray(schema.body.required) && schema.body.required.length > 0;
    op.requestBody = { required: bodyRequired, content: { 'application/json': { schema: toOpenApiSchema(schema.body, components) } } };
  }
  const protectedRoute = opts.authEnabled && !route.public;
  const scope = requiredScope(route.method, route.url);
  op.responses = responses(schema, { auth: protectedRoute, forbidden: protectedRoute && scope !== 'read', rateLimited: opts.rateLimited === true && !route.public }, components);
  // OpenAPI 3.1 lets a non-OAuth scheme list the roles an operation needs: here the key scope.
  if (opts.authEnabled) op.security = protectedRoute ? [{ bearerAuth: [scope] }] : [];
  return op;
}

/**
 * Builds the OpenAPI 3.1 document from the routes as registered (their Fastify schemas) and the shared schemas
 * (`app.getSchemas()`), so the document can never drift from what the server validates.
 *
 * @example buildOpenApi(routes, app.getSchemas(), { title: 'Kindred', version: '0.1.0', authEnabled: false })
 */
export function buildOpenApi(routes: readonly RouteRecord[], shared: Record<string, unknown>, opts: OpenApiOptions): OpenApiDocument {
  const components = new Set(Object.keys(shared));
  const schemas: Record<string, JsonObject> = {};
  for (const [name, schema] of Object.entries(shared)) schemas[name] = toOpenApiSchema(schema, components) as JsonObject;
  const paths: Record<string, Record<string, JsonObject>> = {};
  const tags = new Set<string>();
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route, opts, components);
    for (const tag of route.schema?.tags ?? []) tags.add(tag);
  }
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: opts.title, version: opts.version },
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: { schemas },
  };
  if (opts.authEnabled) doc.components.securitySchemes = { bearerAuth: { type: 'http', scheme: 'bearer', description: 'One of server.apiKeys; each key has a scope (read, write or admin, each including the ones before it), listed in every operation\'s security requirement' } };
  return doc;
}

/**
 * Records of a route as Fastify reports it to an `onRoute` hook (HEAD twins of GET routes and hidden routes are left out).
 *
 * @example app.addHook('onRoute', (r) => routes.push(...routeRecords(r)))
 */
export function routeRecords(route: RouteOptions): RouteRecord[] {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  // Hidden routes (Swagger UI's own pages and assets) are not part of the API.
  if (route.schema?.hide === true) return [];
  return methods
    .filter((m) => m !== 'HEAD')
    .map((method) => ({ method, url: route.url, schema: route.schema, public: route.config?.public === true }));
}
