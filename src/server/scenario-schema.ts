/** JSON Schemas of the scenario routes (a Scenario, see src/storage/store.ts and docs/filters.md "Scenarios"). */
import { RECALL_CHANNEL_LIMITS, RECALL_CHANNEL_NAMES } from '../config/pipeline-section.js';
import { careSettingsSchema } from './care-schema.js';
import { SCENARIO_MAX_COUNT, SCENARIO_MAX_DESCRIPTION } from '../pipeline/scenarios/validate.js';
import type { ScenarioChannelBudget } from '../storage/store.js';

const budget = (field: keyof typeof RECALL_CHANNEL_LIMITS, doc: string) => ({
  type: 'number', minimum: RECALL_CHANNEL_LIMITS[field].min, maximum: RECALL_CHANNEL_LIMITS[field].max, description: doc,
}) as const;

const channelBudget = {
  type: 'object',
  additionalProperties: false,
  properties: {
    quota: budget('quota', 'Candidates per list slot (0 turns the channel off for the scenario)'),
    pad: budget('pad', 'Extra candidates'),
    deadlineMs: budget('deadlineMs', 'The channel\'s deadline'),
  },
} as const;

const fields = {
  filter: { type: 'string', minLength: 1, description: 'A filter expression (docs/filters.md), and-ed with a request\'s own filter; at most 2000 characters' },
  count: { type: 'integer', minimum: 1, maximum: SCENARIO_MAX_COUNT, description: 'List length (a request\'s `count` wins)' },
  recall: {
    type: 'object',
    additionalProperties: channelBudget,
    description: `Recall channel -> budget override (known channels only: ${RECALL_CHANNEL_NAMES.join(', ')}); fields left out keep config pipeline.recall`,
  },
  care: { ...careSettingsSchema, description: 'Care settings for the scenario\'s requests (docs/care.md); a request\'s own and the user\'s stored preferences win' },
  description: { type: 'string', maxLength: SCENARIO_MAX_DESCRIPTION },
} as const;

/** PUT /v1/scenarios/{name}: the scenario without its name (the path names it). */
export const scenarioBody = { type: 'object', additionalProperties: false, properties: fields } as const;

export interface ScenarioBody {
  filter?: string;
  count?: number;
  recall?: Record<string, ScenarioChannelBudget>;
  care?: Record<string, number | boolean>;
  description?: string;
}

export const scenarioNameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$', minLength: 1, maxLength: 64, description: 'Scenario name, e.g. home, item-page, email' } },
} as const;

export interface ScenarioNameParams { name: string }

export const scenarioSchema = {
  $id: 'Scenario',
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, ...fields },
} as const;

export const scenarioListSchema = {
  $id: 'ScenarioList',
  type: 'object',
  required: ['scenarios'],
  properties: { scenarios: { type: 'array', items: { $ref: 'Scenario' } } },
} as const;
