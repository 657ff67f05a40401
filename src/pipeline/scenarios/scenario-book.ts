import type { KindredConfig } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Item } from '../../core/types.js';
import { SCENARIO_NAME_PATTERN } from '../../storage/scenario-record.js';
import type { Scenario, Store } from '../../storage/store.js';
import { stagesFromConfig, type PipelineStages } from '../registry.js';
import { scenarioPipeline, validateScenario } from './validate.js';

/** How long a process keeps a scenario it read before reading it again (other processes' writes show within this). */
export const SCENARIO_TTL_MS = 2000;

/** A stored scenario made ready for requests. */
export interface ResolvedScenario {
  scenario: Scenario;
  /** The scenario's filter as a predicate (undefined without a filter). */
  keepItem?: (item: Item) => boolean;
  /** The config with the scenario's recall overrides in `pipeline`, and the stages it names. */
  config: KindredConfig;
  stages: PipelineStages;
}

export interface ScenarioBook {
  put(scenario: Scenario): Promise<Scenario>;
  get(name: string): Promise<Scenario>;
  list(): Promise<Scenario[]>;
  delete(name: string): Promise<void>;
  /** The scenario a request names, ready to use; NOT_FOUND naming the field `scenario` when there is none. */
  resolve(name: string): Promise<ResolvedScenario>;
}

export interface ScenarioBookDeps {
  store: Store;
  config: KindredConfig;
  clock: Clock;
  compile: (filter: string) => (item: Item) => boolean;
  ttlMs?: number;
}

function unknownScenario(): EngineError {
  return new EngineError('NOT_FOUND', 'unknown scenario', { field: 'scenario' });
}

/**
 * Stored scenarios for the engine: writes validate and go to the store (the system of record); requests read a
 * scenario through a short per-process cache (`ttlMs`, default 2 s) that this process's own writes clear at once.
 *
 * @example const book = createScenarioBook({ store, config, clock, compile }); await book.resolve('home')
 */
export function createScenarioBook(deps: ScenarioBookDeps): ScenarioBook {
  const ttlMs = deps.ttlMs ?? SCENARIO_TTL_MS;
  // Only found scenarios are kept, so the map never holds more entries than the store has scenarios.
  const cached = new Map<string, { at: number; resolved: ResolvedScenario }>();

  function prepare(scenario: Scenario): ResolvedScenario {
    const pipeline = scenarioPipeline(deps.config.pipeline, scenario);
    const config = pipeline === deps.config.pipeline ? deps.config : { ...deps.config, pipeline };
    return {
      scenario,
      keepItem: scenario.filter === undefined ? undefined : deps.compile(scenario.filter),
      config,
      stages: stagesFromConfig(config.pipeline),
    };
  }

  return {
    async put(input) {
      const scenario = validateScenario(input, deps.compile);
      await deps.store.putScenario(scenario);
      cached.delete(scenario.name);
      return scenario;
    },
    async get(name) {
      const found = SCENARIO_NAME_PATTERN.test(name) ? await deps.store.getScenario(name) : undefined;
      if (!found) throw unknownScenario();
      return found;
    },
    list: () => deps.store.listScenarios(),
    async delete(name) {
      if (!SCENARIO_NAME_PATTERN.test(name) || !(await deps.store.deleteScenario(name))) throw unknownScenario();
      cached.delete(name);
    },
    async resolve(name) {
      if (!SCENARIO_NAME_PATTERN.test(name)) throw unknownScenario();
      const now = deps.clock.now();
      const entry = cached.get(name);
      if (entry && now - entry.at < ttlMs) return entry.resolved;
      const stored = await deps.store.getScenario(name);
      if (!stored) {
        cached.delete(name);
        throw unknownScenario();
      }
      // Validated again: a scenario stored by another version may name a channel this one does not know.
      const resolved = prepare(validateScenario(stored, deps.compile));
      cached.set(name, { at: now, resolved });
      return resolved;
    },
  };
}
