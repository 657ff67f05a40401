/** JSON Schema of `GET /v1/users/{id}/profile` (an InterestProfile, see src/interests/profile-types.ts). */
const profileItem = {
  type: 'object',
  required: ['itemId', 'weight'],
  properties: {
    itemId: { type: 'string' },
    title: { type: 'string' },
    weight: { type: 'number', description: 'Event-type weight × time decay, summed over the item\'s events' },
  },
} as const;

const vector = { type: 'array', items: { type: 'number' } } as const;

const labelTerms = { type: 'array', items: { type: 'object', required: ['term', 'score'], properties: { term: { type: 'string' }, score: { type: 'number' } } } } as const;

const sequenceInterest = {
  type: 'object',
  required: ['model', 'label', 'terms', 'items'],
  description: 'Short term, with a trained transformer served: what the user\'s latest events predict',
  properties: {
    model: { type: 'string', description: 'The model that read the sequence (transformer)' },
    label: { type: 'string', description: 'The predicted items\' distinctive categories and tags' },
    terms: labelTerms,
    items: {
      type: 'array',
      description: 'Predicted items not consumed yet, highest first (weight: share of the predicted probability among them); items of muted interests left out',
      items: {
        type: 'object',
        required: ['itemId', 'weight'],
        properties: { itemId: { type: 'string' }, title: { type: 'string' }, weight: { type: 'number' } },
      },
    },
  },
} as const;

const interestTerm = {
  type: 'object',
  required: ['events', 'items', 'halfLifeDays', 'vectors', 'top'],
  properties: {
    events: { type: 'integer', description: 'Positive events read' },
    items: { type: 'integer', description: 'Distinct items of those events' },
    halfLifeDays: { type: 'number' },
    window: { type: 'integer', description: 'Most recent positive events read (short term only)' },
    vectors: {
      type: 'object',
      description: 'Unit weighted mean of the items\' vectors in each space the served model has; sequence: the transformer\'s state after the latest item (short term)',
      properties: { factors: vector, text: vector, sequence: vector },
    },
    top: { type: 'array', items: profileItem, description: 'The heaviest items' },
    next: sequenceInterest,
  },
} as const;

export const interestProfileSchema = {
  $id: 'InterestProfile',
  type: 'object',
  required: ['userId', 'model', 'space', 'events', 'longTerm', 'shortTerm', 'drift', 'interests'],
  properties: {
    userId: { type: 'string' },
    model: { type: 'object', required: ['name', 'version'], properties: { name: { type: 'string' }, version: { type: 'integer' } } },
    space: {
      type: 'object',
      required: ['kind', 'source'],
      description: 'Where interests are clustered and drift is measured',
      properties: { kind: { type: 'string', enum: ['text', 'factors', 'neighbours'] }, source: { type: 'string' } },
    },
    events: { type: 'integer' },
    longTerm: interestTerm,
    shortTerm: interestTerm,
    drift: { type: ['number', 'null'], description: '1 − cos(short-term, long-term): 0 = recent events match the long-term taste' },
    interests: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'label', 'terms', 'weight', 'recentWeight', 'size', 'items', 'muted', 'boost'],
        properties: {
          id: { type: 'string', description: 'Stable while the profile is updated and re-clustered: what PATCH names' },
          label: { type: 'string', description: 'Distinctive categories, tags and keywords, e.g. "Sci-Fi · Action · Thriller"; written by the LLM when labelBy is llm' },
          labelBy: { type: 'string', enum: ['llm'], description: 'Present when a language model wrote the label' },
          terms: labelTerms,
          weight: { type: 'number', description: 'Share of the long-term weight' },
          recentWeight: { type: 'number', description: 'Share of the short-term weight' },
          size: { type: 'integer', description: 'Items in the interest' },
          items: { type: 'array', items: profileItem, description: 'Its most typical items' },
          muted: { type: 'boolean', description: 'Set by the user: the interest\'s items are left out of their lists' },
          boost: { type: 'number', description: 'Set by the user: > 1 moves the interest\'s items up their lists, < 1 down; 1 = as ranked' },
        },
      },
    },
  },
} as const;

/** JSON Schema of the body of `PATCH /v1/users/{id}/profile`. */
export const profileUpdateBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    interests: {
      type: 'array',
      maxItems: 100,
      description: 'Changes per interest id; fields left out keep their value',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 64 },
          mute: { type: 'boolean', description: 'true leaves the interest\'s items out of the user\'s lists; false shows them again' },
          boost: { type: 'number', minimum: 0.1, maximum: 10, description: 'Multiplies how far up the list the interest\'s items go (1 = as ranked)' },
        },
      },
    },
    reset: { type: 'boolean', description: 'true clears every mute and boost first' },
  },
} as const;
