import type { KindredConfig } from '../../config/config.js';
import {
  RECALL_CHANNEL_BUDGETS, channelSettingLimits, RECALL_CHANNEL_NAMES, type RecallChannelName,
} from '../../config/pipeline-section.js';
import { checkCareSettings } from '../../care/care-settings.js';
import { EngineError } from '../../core/errors.js';
import { canonicalScenario } from '../../storage/scenario-record.js';
import type { Scenario } from '../../storage/store.js';

/** The longest list a scenario may ask for (the same bound as config recommend.count). */
export const SCENARIO_MAX_COUNT = 1000;
export const SCENARIO_MAX_DESCRIPTION = 500;
const FIELDS = ['name', 'filter', 'count', 'recall', 'care', 'description'];

function invalid(message: string, field: string, path: string, extra: Record<string, unknown> = {}): EngineError {
  return new EngineError('INVALID_INPUT', `scenario ${message}`, { field, path, ...extra });
}

/**
 * Checks a scenario before it is stored: its name and field types (storage/scenario-record.ts), the filter
 * expression compiled by `compile` (its INVALID_INPUT keeps `position` and `length`), `count` 1–1000, and `recall`
 * naming only known channels with settings inside the limits of config `pipeline.recall`, and `care` naming only care
 * settings, each inside its config range (care/care-settings.ts; path `/care/<key>`). Returns the canonical record.
 *
 * @example validateScenario({ name: 'home', filter: 'in_stock = true', count: 20 }, compileFilter)
 */
export function validateScenario(input: Scenario, compile: (filter: string) => unknown): Scenario {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('must be an object', 'scenario', '/');
  for (const key of Object.keys(input)) {
    if (!FIELDS.includes(key)) throw invalid(`has an unknown field (known: ${FIELDS.join(', ')})`, 'scenario', '/');
  }
  const s = canonicalScenario(input);
  if (s.filter !== undefined) {
    if (!s.filter.trim()) throw invalid('filter must not be empty', 'filter', '/filter');
    compile(s.filter);
  }
  if (s.count !== undefined && s.count > SCENARIO_MAX_COUNT) throw invalid(`count must be from 1 to ${SCENARIO_MAX_COUNT}`, 'count', '/count', { limit: SCENARIO_MAX_COUNT });
  if (s.description !== undefined && s.description.length > SCENARIO_MAX_DESCRIPTION) {
    throw invalid(`description is longer than ${SCENARIO_MAX_DESCRIPTION} characters`, 'description', '/description', { limit: SCENARIO_MAX_DESCRIPTION });
  }
  for (const [channel, budget] of Object.entries(s.recall ?? {})) {
    if (!(RECALL_CHANNEL_NAMES as readonly string[]).includes(channel)) {
      throw invalid(`recall names a channel that does not exist (known: ${RECALL_CHANNEL_NAMES.join(', ')})`, 'recall', '/recall');
    }
    for (const [field, value] of Object.entries(budget)) {
      const limit = channelSettingLimits(channel as RecallChannelName)[field];
      if (!limit) throw invalid(`recall.${channel}.${field} is not a setting of this channel`, 'recall', `/recall/${channel}/${field}`);
      const { min, max } = limit;
      if ((value as number) < min || (value as number) > max) {
        throw invalid(`recall.${channel}.${field} must be a number from ${min} to ${max}`, 'recall', `/recall/${channel}/${field}`);
      }
    }
  }
  if (s.care !== undefined) checkCareSettings(s.care, { path: '/care/', field: 'care', message: 'scenario care.' });
  return s;
}

/**
 * The `pipeline` section a scenario's requests run with: each channel the scenario names takes its overrides over
 * the configured budget (or over the default budget when config does not run that channel, which turns it on);
 * `quota: 0` gives a channel no candidates for the scenario.
 *
 * @example scenarioPipeline(config.pipeline, { name: 'email', recall: { popular: { quota: 0 } } })
 */
export function scenarioPipeline(pipeline: KindredConfig['pipeline'], scenario: Scenario): KindredConfig['pipeline'] {
  if (!scenario.recall || Object.keys(scenario.recall).length === 0) return pipeline;
  const recall = { ...pipeline.recall };
  for (const [name, budget] of Object.entries(scenario.recall)) {
    const channel = name as RecallChannelName; // validateScenario admitted only known channels
    recall[channel] = { ...(pipeline.recall[channel] ?? RECALL_CHANNEL_BUDGETS[channel]), ...budget };
  }
  return { ...pipeline, recall };
}
