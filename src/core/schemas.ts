/**
 * JSON Schemas of the domain records. They are the single source for request validation (HTTP and library),
 * the OpenAPI document, and import validation.
 */
/** The one id length limit (code points), for items, users and events, in bodies and URL paths alike. */
export const ID_MAX_LENGTH = 256;
/**
 * The largest event `value` either way. A rating's value scales its training weight, and weights are summed in 32-bit
 * floats: one event with 1e308 made every later training fail (a weight of Infinity). A billion leaves room for
 * stars, seconds and prices.
 */
export const EVENT_VALUE_LIMIT = 1e9;
/** Schema of every id field and id path parameter. */
export const idStringSchema = { type: 'string', minLength: 1, maxLength: ID_MAX_LENGTH } as const;
const idString = idStringSchema;
const isoTime = { type: 'string', format: 'date-time' } as const;
const attributeValue = { type: ['string', 'number', 'boolean', 'null'] } as const;
const attributes = {
  type: 'object',
  additionalProperties: { anyOf: [attributeValue, { type: 'array', items: attributeValue }] },
} as const;
const stringList = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 256 }, maxItems: 256 } as const;

export const itemSchema = {
  $id: 'Item',
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: {
    id: idString,
    title: { type: 'string', maxLength: 1000 },
    text: { type: 'string', maxLength: 100_000 },
    categories: stringList,
    tags: stringList,
    attributes,
    createdAt: isoTime,
    expiresAt: isoTime,
    hidden: { type: 'boolean' },
  },
} as const;

export const userSchema = {
  $id: 'User',
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: {
    id: idString,
    attributes,
    consent: { type: 'object', additionalProperties: { type: 'boolean' } },
  },
} as const;

export const eventSchema = {
  $id: 'Event',
  type: 'object',
  required: ['userId', 'itemId', 'type', 'timestamp'],
  additionalProperties: false,
  properties: {
    id: idString,
    userId: idString,
    itemId: idString,
    type: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' },
    value: { type: 'number', minimum: -EVENT_VALUE_LIMIT, maximum: EVENT_VALUE_LIMIT },
    timestamp: isoTime,
    text: { type: 'string', maxLength: 20_000 },
  },
} as const;
