import { describe, expect, it } from 'vitest';
import { ERROR_CODES, EngineError, type ErrorCode } from '../core/errors.js';
import { forbidden, rateLimited, RETRY_AFTER_SECONDS, routeNotFound, toHttpError, unauthorized, validationDetails } from './errors.js';

describe('toHttpError', () => {
  it('maps every EngineError code to its catalogue status and keeps code, message and details', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const mapped = toHttpError(new EngineError(code, `failed with ${code}`, { id: 'x1' }));
      expect(mapped.status).toBe(ERROR_CODES[code]);
      expect(mapped.body).toEqual({ error: { code, message: `failed with ${code}`, details: { id: 'x1' } } });
    }
  });

  it('adds Retry-After to a 503 (STORE_UNAVAILABLE) and no header to any other answer', () => {
    expect(toHttpError(new EngineError('STORE_UNAVAILABLE', 'connection lost')).headers).toEqual({ 'retry-after': String(RETRY_AFTER_SECONDS) });
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      if (ERROR_CODES[code] !== 503) expect(toHttpError(new EngineError(code, 'x')).headers, code).toBeUndefined();
    }
    expect(toHttpError(new TypeError('boom')).headers).toBeUndefined();
  });

  it('turns a Fastify body validation error into INVALID_INPUT naming path, row and field', () => {
    const err = Object.assign(new Error('body/events/7345/timestamp must match format "date-time"'), {
      statusCode: 400,
      code: 'FST_ERR_VALIDATION',
      validationContext: 'body',
      validation: [{ instancePath: '/events/7345/timestamp', keyword: 'format', message: 'must match format "date-time"', params: { format: 'date-time' } }],
    });
    expect(toHttpError(err)).toEqual({
      status: 400,
      body: {
        error: {
          code: 'INVALID_INPUT',
          message: '/events/7345/timestamp must match format "date-time"',
          details: { path: '/events/7345/timestamp', row: 7345, field: 'timestamp' },
        },
      },
    });
  });

  it('says which part of the request failed for query-string errors', () => {
    const err = Object.assign(new Error('bad'), {
      statusCode: 400,
      validationContext: 'querystring',
      validation: [{ instancePath: '/count', keyword: 'maximum', message: 'must be <= 1000', params: { limit: 1000 } }],
    });
    const { status, body } = toHttpError(err);
    expect(status).toBe(400);
    expect(body.error.message).toBe('querystring /count must be <= 1000');
    expect(body.error.details).toEqual({ path: '/count', field: 'count', in: 'querystring' });
  });

  it('maps Fastify parser errors to fixed messages that never quote the body', () => {
    const tooLarge = toHttpError(Object.assign(new RangeError('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const badJson = toHttpError(Object.assign(new SyntaxError('Unexpected token y, "yesterday" is not valid JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }));
    expect(badJson).toEqual({ status: 400, body: { error: { code: 'INVALID_INPUT', message: 'request body is not valid JSON', details: {} } } });
    const mediaType = toHttpError(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }));
    expect(mediaType.status).toBe(415);
    expect(mediaType.body.error.code).toBe('INVALID_INPUT');
  });

  it('answers router errors with fixed messages that never quote the URL', () => {
    const badUrl = toHttpError(Object.assign(new Error("'/v1/items/%E0%A4%A' is not a valid url component"), { statusCode: 400, code: 'FST_ERR_BAD_URL' }));
    expect(badUrl.status).toBe(400);
    expect(JSON.stringify(badUrl.body)).not.toContain('%E0');
    const tooLong = toHttpError(Object.assign(new Error(`'/v1/items/${'a'.repeat(5000)}' is exceeding the max param length`), { statusCode: 414, code: 'FST_ERR_MAX_PARAM_LENGTH' }));
    expect(tooLong).toEqual({ status: 400, body: { error: { code: 'INVALID_INPUT', message: expect.stringContaining('256') as unknown, details: { in: 'params', limit: 256 } } } });
  });

  it('hides the message of unexpected errors behind INTERNAL 500', () => {
    expect(toHttpError(new TypeError('cannot read review text "loved it"'))).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'internal error', details: {} } },
    });
    expect(toHttpError('a string').status).toBe(500);
    expect(toHttpError(Object.assign(new Error('boom'), { statusCode: 503 })).status).toBe(500);
  });

  it('answers unknown routes with NOT_FOUND', () => {
    expect(routeNotFound()).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'no such route', details: {} } } });
  });
});

describe('validationDetails', () => {
  it('names the missing property of a row, not just the row', () => {
    expect(validationDetails({ instancePath: '/items/3', keyword: 'required', params: { missingProperty: 'id' } })).toEqual({ path: '/items/3/id', row: 3, field: 'id' });
  });

  it('names an unexpected property', () => {
    expect(validationDetails({ instancePath: '/users/0', keyword: 'additionalProperties', params: { additionalProperty: 'email' } })).toEqual({
      path: '/users/0/email',
      row: 0,
      field: 'email',
    });
  });

  it('dots nested fields and unescapes JSON-pointer segments', () => {
    expect(validationDetails({ instancePath: '/items/12/attributes/size~1fit/0', keyword: 'type', params: {} })).toEqual({
      path: '/items/12/attributes/size~1fit/0',
      row: 12,
      field: 'attributes.size/fit.0',
    });
  });

  it('shows a client-chosen name only when it is a short name, and lists what is allowed', () => {
    const huge = 'k'.repeat(100_000);
    const details = validationDetails({
      instancePath: '/items/0', keyword: 'additionalProperties', params: { additionalProperty: huge }, parentSchema: { properties: { id: {}, title: {} } },
    });
    expect(details).toEqual({ path: '/items/0/\u2026', row: 0, field: '\u2026', allowed: ['id', 'title'] });
    expect(validationDetails({ instancePath: `/items/2/attributes/it's`, keyword: 'anyOf', params: {} }).path).toBe('/items/2/attributes/\u2026');
  });

  it('reports a wrong top-level body without a row', () => {
    expect(validationDetails({ instancePath: '/events', keyword: 'type', params: { type: 'array' } })).toEqual({ path: '/events', field: 'events' });
    expect(validationDetails({ instancePath: '', keyword: 'required', params: { missingProperty: 'events' } })).toEqual({ path: '/events', field: 'events' });
  });
});

describe('unauthorized, forbidden, rateLimited', () => {
  it('is a 401 UNAUTHORIZED without details, asking for a bearer token', () => {
    expect(unauthorized()).toEqual({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'missing or unknown API key', details: {} } }, headers: { 'www-authenticate': 'Bearer' } });
  });

  it('is a 403 FORBIDDEN naming the scope needed', () => {
    expect(forbidden('admin')).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', details: { scope: 'admin' } } } });
  });

  it('is a 429 RATE_LIMITED with Retry-After in whole seconds, at least 1', () => {
    expect(rateLimited(0.2)).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED', details: { retryAfter: 1 } } }, headers: { 'retry-after': '1' } });
    expect(rateLimited(2.5).headers).toEqual({ 'retry-after': '3' });
  });
});
