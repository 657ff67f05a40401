import { ERROR_CODES, isEngineError, type ErrorCode, type ErrorDetails } from '../core/errors.js';

/** The body of every error answer. */
export interface HttpErrorBody {
  error: { code: ErrorCode; message: string; details: ErrorDetails };
}

export interface HttpError {
  status: number;
  body: HttpErrorBody;
}

/** One Ajv error as Fastify attaches it to a validation failure (`error.validation`). */
interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
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

/**
 * Turns the first schema error into INVALID_INPUT details: the JSON pointer of the offending field, and for bulk
 * bodies the zero-based row and the field inside it (dotted when nested).
 *
 * @example validationDetails({ instancePath: '/events/7345/timestamp', keyword: 'format', params: {} }, 'body')
 *   // -> { path: '/events/7345/timestamp', row: 7345, field: 'timestamp' }
 */
export function validationDetails(error: SchemaError, context = 'body'): ErrorDetails {
  // `required` and `additionalProperties` point at the parent object; name the property itself.
  const property = error.params.missingProperty ?? error.params.additionalProperty;
  const path = typeof property === 'string' ? `${error.instancePath}/${property.replace(/~/g, '~0').replace(/\//g, '~1')}` : error.instancePath;
  const details: ErrorDetails = { path };
  if (context !== 'body') details.in = context;
  const bulk = context === 'body' ? BULK_ROW.exec(path) : null;
  if (bulk) {
    details.row = Number(bulk[2]);
    if (bulk[3]) details.field = bulk[3].split('/').map(unescapePointer).join('.');
  } else if (path.length > 1) {
    details.field = path.slice(1).split('/').map(unescapePointer).join('.');
  }
  return details;
}

function body(code: ErrorCode, message: string, details: ErrorDetails = {}): HttpErrorBody {
  return { error: { code, message, details } };
}

function fastifyError(err: FastifyLikeError): HttpError | undefined {
  if (err.validation && err.validation.length > 0) {
    const first = err.validation[0];
    const details = validationDetails(first, err.validationContext);
    const where = err.validationContext === 'body' ? details.path : `${err.validationContext ?? 'request'} ${details.path}`;
    return { status: 400, body: body('INVALID_INPUT', `${where || '/'} ${first.message ?? 'is invalid'}`, details) };
  }
  const status = err.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  // Fixed messages: the parser's own text can quote the body, which is user data.
  switch (err.code) {
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
 * PAYLOAD_TOO_LARGE; anything else is an INTERNAL 500 whose message is not leaked.
 *
 * @example toHttpError(new EngineError('NOT_FOUND', 'no item x', { id: 'x' })).status // 404
 */
export function toHttpError(err: unknown): HttpError {
  if (isEngineError(err)) return { status: ERROR_CODES[err.code], body: body(err.code, err.message, err.details) };
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
  return { status: ERROR_CODES.UNAUTHORIZED, body: body('UNAUTHORIZED', 'missing or unknown API key') };
}
