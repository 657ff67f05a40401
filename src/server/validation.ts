import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { eventSchema, itemSchema, userSchema } from '../core/schemas.js';
import { RESPONSE_SCHEMAS } from './response-schemas.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Every schema with an `$id` that route schemas may reference with `{ $ref: 'Item' }`; also the OpenAPI components. */
export const SHARED_SCHEMAS: readonly { $id: string }[] = [itemSchema, userSchema, eventSchema, ...RESPONSE_SCHEMAS];

export type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

function newAjv(forUrlParts: boolean): Ajv {
  const ajv = new Ajv({
    // Stop at the first error: a 10,000-row bulk with one bad row reports that row, and fast.
    allErrors: false,
    allowUnionTypes: true,
    // Bodies are JSON: never coerce or silently drop what the client sent. URL parts are strings and need coercion.
    coerceTypes: forUrlParts ? 'array' : false,
    removeAdditional: false,
    useDefaults: forUrlParts,
  });
  addFormats(ajv);
  ajv.addSchema([...SHARED_SCHEMAS] as AnySchema[]);
  return ajv;
}

/**
 * Fastify validator compiler: strict JSON validation for bodies, coercing validation for path and query strings.
 * Both share the domain schemas of src/core/schemas.ts, so the HTTP API validates exactly what the engine does.
 *
 * @example app.setValidatorCompiler(createValidatorCompiler())
 */
export function createValidatorCompiler(): (route: { schema: object; httpPart?: string }) => ValidateFunction {
  const bodyAjv = newAjv(false);
  const urlAjv = newAjv(true);
  return ({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : urlAjv).compile(schema);
}
