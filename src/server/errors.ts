import type { Duplex } from 'node:stream';
import { ERROR_CODES, isEngineError, type ErrorCode, type ErrorDetails } from '../core/errors.js';
import { showableName } from '../core/safe-name.js';
import { ID_MAX_LENGTH } from '../core/schemas.js';

/** The body of every error answer. */
export interface HttpErrorBody {
  error: { code: ErrorCode; message: string; details: ErrorDetails };
}

export interface HttpError {
  status: number;
  body: HttpErrorBody;
  /** Response headers the answer needs: `retry-after` on a 503 (the store is unavailable, probably for a moment). */
  headers?: Record<string, string>;
}

/**
 * Seconds a client should wait before retrying a 503: a lost database connection (a PostgreSQL restart, a fail-over)
 * usually comes back within seconds, and a short fixed hint spreads nothing but also stampedes nothing for long.
 */
export const RETRY_AFTER_SECONDS = 2;

/** The headers of an answer with this status: `Retry-After` for 503, none otherwise. */
export function errorHeaders(status: number): Record<string, string> | undefined {
  return status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : undefined;
}

/** One Ajv error as Fastify attaches it to a validation failure (`error.validation`). */
interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  /** The schema holding the failed keyword (Ajv `verbose`); names the allowed properties. */
  parentSchema?: unknown;
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  validation?: SchemaError[];
  validationContext?: string;
}

// Top-level arrays of the bulk endpoints; a path into one of them names a row.
const BULK_ROW = /^\/(items|users|events)\/(\d+)(?:\/(.*))?$/;

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A pointer segment the client chose (an attribute name, an unknown key) is shown only when it is a short name. */
function shownSegment(segment: string): string {
  return showableName(unescapePointer(segment)) === undefined ? '…' : segment;
}

/** The properties a schema declares (for "allowed: ..." in an unknown-property error). */
function declaredProperties(schema: unknown): string[] {
  const properties = typeof schema === 'object' && schema !== null ? (schema as { properties?: unknown }).properties : undefined;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

/**
 * Turns the first schema error into INVALID_INPUT details: the JSON pointer of the offending field, and for bulk
 * bodies the zero-based row and the field inside it (dotted when nested). Client-chosen names (unknown properties,
 * attribute keys) appear only when they are short names (`…` otherwise); an unknown property adds `allowed`.
 *
 * @example validationDetails({ instancePath: '/events/7345/timestamp', keyword: 'format', params: {} }, 'body')
 *   // -> { path: '/events/7345/timestamp', row: 7345, field: 'timestamp' }
 */
export function validationDetails(error: SchemaError, context = 'body'): ErrorDetails {
  // `required` and `additionalProperties` point at the parent object; name the property itself.
  const property = error.params.missingProperty ?? error.params.additionalProperty;
  const pointer = typeof property === 'string' ? `${error.instancePath}/${property.replace(/~/g, '~0').replace(/\//g, '~1')}` : error.instancePath;
  const path = pointer.split('/').map((segment, i) => (i === 0 ? segment : shownSegment(segment))).join('/');
  const details: ErrorDetails = { path };
  if (context !== 'body') details.in = context;
  const bulk = context === 'body' ? BULK_ROW.exec(path) : null;
  if (bulk) {
    details.row = Number(bulk[2]);
    if (bulk[3]) details.field = bulk[3].split('/').map(unescapePointer).join('.');
  } else if (path.length > 1) {
    details.field = path.slice(1).split('/').map(unescapePointer).join('.');
  }
  if (error.keyword === 'additionalProperties' && error.parentSchema !== undefined) details.allowed = declaredProperties(error.parentSchema);
  return details;
}

/** The message of a schema error; built from the (sanitised) path and fixed texts, never from the sent value. */
function validationMessage(error: SchemaError, details: ErrorDetails, context: string | undefined): string {
  const where = context === 'body' ? details.path || '/' : `${context ?? 'request'} ${details.path || '/'}`;
  if (error.keyword !== 'additionalProperties') return `${where} ${error.message ?? 'is invalid'}`;
  const allowed = Array.isArray(details.allowed) ? details.allowed : [];
  if (context === 'querystring') {
    return allowed.length > 0 ? `${where} is not a known query parameter (known: ${allowed.join(', ')})` : `${where}: this route takes no query parameters`;
  }
  return allowed.length > 0 ? `${where} is not an allowed field (allowed: ${allowed.join(', ')})` : `${where} is not an allowed field`;
}

function body(code: ErrorCode, message: string, details: ErrorDetails = {}): HttpErrorBody {
  return { error: { code, message, details } };
}

function fastifyError(err: FastifyLikeError): HttpError | undefined {
  if (err.validation && err.validation.length > 0) {
    const first = err.validation[0];
    const details = validationDetails(first, err.validationContext);
    return { status: 400, body: body('INVALID_INPUT', validationMessage(first, details, err.validationContext), details) };
  }
  const status = err.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  // Fixed messages: the parser's and router's own texts quote the body or the URL, which are user data.
  switch (err.code) {
    case 'FST_ERR_BAD_URL':
      return { status: 400, body: body('INVALID_INPUT', 'request path is not valid percent-encoded UTF-8', { in: 'params' }) };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // Same answer as a too-long id that reached the schema: ids have one length limit everywhere.
      return { status: 400, body: body('INVALID_INPUT', `a path parameter is longer than ids may be (${ID_MAX_LENGTH} characters)`, { in: 'params', limit: ID_MAX_LENGTH }) };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: body('PAYLOAD_TOO_LARGE', 'request body is larger than server.bodyLimitMb') };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: body('INVALID_INPUT', 'request body must be application/json') };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: body('INVALID_INPUT', 'request body is empty but content-type is application/json') };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: body('INVALID_INPUT', 'request body is not valid JSON') };
    default:
      if (status === 413) return { status, body: body('PAYLOAD_TOO_LARGE', 'request is too large') };
      return { status, body: body('INVALID_INPUT', 'request is invalid') };
  }
}

/**
 * Maps anything a route can throw to a status and the `{ error: { code, message, details } }` body. EngineErrors keep
 * their code (status from ERROR_CODES); Fastify's validation and parser errors become INVALID_INPUT or
 * PAYLOAD_TOO_LARGE; anything else is an INTERNAL 500 whose message is not leaked. A 503 (STORE_UNAVAILABLE, from
 * any store adapter, a lost PostgreSQL connection included) carries `Retry-After` in `headers`.
 *
 * @example toHttpError(new EngineError('NOT_FOUND', 'no item x', { id: 'x' })).status // 404
 */
export function toHttpError(err: unknown): HttpError {
  if (isEngineError(err)) {
    const status = ERROR_CODES[err.code];
    const headers = errorHeaders(status);
    return { status, body: body(err.code, err.message, err.details), ...(headers ? { headers } : {}) };
  }
  if (typeof err === 'object' && err !== null) {
    const mapped = fastifyError(err as FastifyLikeError);
    if (mapped) return mapped;
  }
  return { status: 500, body: body('INTERNAL', 'internal error') };
}

/** The answer for a route that does not exist. */
export function routeNotFound(): HttpError {
  return { status: 404, body: body('NOT_FOUND', 'no such route') };
}

/** The answer for a protected route without a valid API key. */
export function unauthorized(): HttpError {
  return { status: ERROR_CODES.UNAUTHORIZED, body: body('UNAUTHORIZED', 'missing or unknown API key'), headers: { 'www-authenticate': 'Bearer' } };
}

/** The answer for a valid API key whose scope does not cover the route; details name the scope needed. */
export function forbidden(needed: string): HttpError {
  return { status: ERROR_CODES.FORBIDDEN, body: body('FORBIDDEN', `this API key's scope does not allow this route (needs ${needed})`, { scope: needed }) };
}

/** The answer for a caller over server.rateLimit: Retry-After in whole seconds (at least 1). */
export function rateLimited(retryAfterSeconds: number): HttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return {
    status: ERROR_CODES.RATE_LIMITED,
    body: body('RATE_LIMITED', `too many requests; retry after ${seconds} s`, { retryAfter: seconds }),
    headers: { 'retry-after': String(seconds) },
  };
}

/**
 * Fastify `clientErrorHandler`: answers a request Node's HTTP parser rejected (headers too large, malformed request)
 * in the documented error shape, then closes the connection, as Node does.
 *
 * @example Fastify({ clientErrorHandler: answerClientError })
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, answer] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', body('PAYLOAD_TOO_LARGE', 'request line and headers are larger than the server accepts')]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', body('TIMEOUT', 'the request did not arrive in time')]
        : [400, 'Bad Request', body('INVALID_INPUT', 'request is not valid HTTP')];
  const json = JSON.stringify(answer);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(json)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${json}`);
  }
  socket.destroy(err);
}
