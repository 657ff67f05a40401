/**
 * The store's checks on a scenario record (shape only: the engine validates filters, limits and channel names on
 * write, see src/pipeline/scenarios/validate.ts). Returns canonical copies so every adapter stores the same record.
 */
import { EngineError } from '../core/errors.js';
import type { Scenario, ScenarioChannelBudget } from './store.js';

/** Scenario names: 1–64 characters, lower-case letters, digits, `_` and `-`, starting with a letter or digit. */
export const SCENARIO_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

function invalid(message: string, path: string): EngineError {
  return new EngineError('INVALID_INPUT', message, { path, field: path.split('/')[1] ?? 'scenario' });
}

/**
 * The name, checked (INVALID_INPUT naming the field, never echoing it).
 *
 * @example scenarioNameOption('item-page') // 'item-page'
 */
export function scenarioNameOption(v: unknown): string {
  if (typeof v !== 'string' || !SCENARIO_NAME_PATTERN.test(v)) {
    throw new EngineError('INVALID_INPUT', 'scenario name must be 1-64 characters of a-z, 0-9, _ and -, starting with a letter or digit', { field: 'name', path: '/name' });
  }
  return v;
}

function budgetCopy(v: unknown, path: string): ScenarioChannelBudget {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('must be an object {quota, pad, deadlineMs}', path);
  const out: ScenarioChannelBudget = {};
  for (const [field, n] of Object.entries(v)) {
    if (field !== 'quota' && field !== 'pad' && field !== 'deadlineMs') throw invalid('is not a channel setting (known: quota, pad, deadlineMs)', `${path}/${field}`);
    if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid('must be a finite number', `${path}/${field}`);
    out[field] = n;
  }
  return out;
}

function careCopy(v: unknown): Record<string, number | boolean> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('must be an object (care setting -> value)', '/care');
  const out: Record<string, number | boolean> = {};
  for (const [key, value] of Object.entries(v)) {
    const path = `/care/${key.length > 0 && key.length <= 64 ? key : '…'}`;
    if (typeof value !== 'boolean' && (typeof value !== 'number' || !Number.isFinite(value))) throw invalid('must be a finite number or a boolean', path);
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A canonical copy of a scenario: only its known fields, each of the right type, in a fixed order.
 *
 * @example canonicalScenario({ name: 'home', count: 20 })
 */
export function canonicalScenario(s: Scenario): Scenario {
  if (typeof s !== 'object' || s === null) throw invalid('scenario must be an object', '/scenario');
  const out: Scenario = { name: scenarioNameOption(s.name) };
  if (s.filter !== undefined) {
    if (typeof s.filter !== 'string') throw invalid('must be a string', '/filter');
    out.filter = s.filter;
  }
  if (s.count !== undefined) {
    if (!Number.isSafeInteger(s.count) || s.count < 1) throw invalid('must be a positive integer', '/count');
    out.count = s.count;
  }
  if (s.recall !== undefined) {
    if (typeof s.recall !== 'object' || s.recall === null || Array.isArray(s.recall)) throw invalid('must be an object (channel -> budget)', '/recall');
    const recall: Record<string, ScenarioChannelBudget> = {};
    for (const [channel, budget] of Object.entries(s.recall)) {
      // defineProperty: a channel called __proto__ stays plain data (it is rejected later as an unknown channel).
      Object.defineProperty(recall, channel, { value: budgetCopy(budget, `/recall/${channel}`), enumerable: true, writable: true, configurable: true });
    }
    out.recall = recall;
  }
  if (s.care !== undefined) out.care = careCopy(s.care);
  if (s.description !== undefined) {
    if (typeof s.description !== 'string') throw invalid('must be a string', '/description');
    out.description = s.description;
  }
  return out;
}
