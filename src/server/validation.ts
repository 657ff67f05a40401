import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { eventSchema, itemSchema, userSchema } from '../core/schemas.js';
import { RESPONSE_SCHEMAS } from './response-schemas.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Every schema with an `$id` that route schemas may reference with `{ $ref: 'Item' }`; also the OpenAPI components. */
export const SHARED_SCHEMAS: readonly { $id: string }[] = [itemSchema, userSchema, eventSchema, ...RESPONSE_SCHEMAS];

export type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

/**
 * A number in a URL, as people write it: optional minus, digits, optional fraction. Ajv's coercion alone takes
 * anything `Number()` takes ("Infinity", "1e3", "0x10", " 5"), and Infinity then passes `integer` and skips bounds.
 */
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** A validator as Fastify calls it: `errors` holds Ajv-shaped errors after a failed call. */
/** Ajv's second validator argument (Fastify passes the parent object so Ajv may coerce the root). */
type DataValidationCxt = Parameters<ValidateFunction>[1];

export interface UrlPartValidator {
  (data: unknown, dataCxt?: DataValidationCxt): boolean;
  errors?: ErrorObject[] | null;
}

function newAjv(forUrlParts: boolean): Ajv {
  const ajv = new Ajv({
    // Stop at the first error: a 10,000-row bulk with one bad row reports that row, and fast.
    allErrors: false,
    allowUnionTypes: true,
    // Bodies are JSON: never coerce or silently drop what the client sent. URL parts are strings and need coercion.
    coerceTypes: forUrlParts ? 'array' : false,
    removeAdditional: false,
    useDefaults: forUrlParts,
    // Errors carry their parent schema, so an unknown property can be answered with the allowed ones (errors.ts).
    verbose: true,
  });
  addFormats(ajv);
  ajv.addSchema([...SHARED_SCHEMAS] as AnySchema[]);
  return ajv;
}

function isNumberType(type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => t === 'number' || t === 'integer');
}

/** Names of the top-level properties of a query or path schema that are numbers (or lists of numbers). */
function numericProperties(schema: object): string[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown; items?: { type?: unknown } }> }).properties ?? {};
  return Object.entries(properties)
    .filter(([, p]) => isNumberType(p.type) || (p.type === 'array' && isNumberType(p.items?.type)))
    .map(([name]) => name);
}

/**
 * Wraps a coercing URL-part validator so that every number must be written in decimal before Ajv coerces it.
 *
 * @example decimalNumbersOnly(ajv.compile(schema), schema)({ count: 'Infinity' }) // false, errors name /count
 */
function decimalNumbersOnly(validate: ValidateFunction, schema: object): UrlPartValidator {
  const numeric = numericProperties(schema);
  if (numeric.length === 0) return validate;
  const checked: UrlPartValidator = (data, dataCxt) => {
    const values = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    for (const name of numeric) {
      const raw = values[name];
      if (raw === undefined) continue;
      if (!(Array.isArray(raw) ? raw : [raw]).every((v) => typeof v === 'string' && DECIMAL.test(v))) {
        checked.errors = [{
          instancePath: `/${name}`, schemaPath: `#/properties/${name}`, keyword: 'decimal', params: {}, message: 'must be a decimal number such as 10',
        }];
        return false;
      }
    }
    const ok = validate(data, dataCxt);
    checked.errors = validate.errors;
    return ok;
  };
  // Fastify passes the parent object (so Ajv may coerce the root) only to validators that carry Ajv's schemaEnv.
  return Object.assign(checked, { schemaEnv: validate.schemaEnv });
}

/**
 * Fastify validator compiler: strict JSON validation for bodies, coercing validation for path and query strings,
 * where numbers must be decimal (no Infinity, NaN, 1e3, 0x10, blanks). Both share the domain schemas of
 * src/core/schemas.ts, so the HTTP API validates exactly what the engine does.
 *
 * @example app.setValidatorCompiler(createValidatorCompiler())
 */
export function createValidatorCompiler(): (route: { schema: object; httpPart?: string }) => UrlPartValidator {
  const bodyAjv = newAjv(false);
  const urlAjv = newAjv(true);
  return ({ schema, httpPart }) => {
    if (httpPart === 'body') return bodyAjv.compile(schema);
    return decimalNumbersOnly(urlAjv.compile(schema), schema);
  };
}
