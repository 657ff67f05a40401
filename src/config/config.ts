import { EngineError } from '../core/errors.js';
import { parseApiKeys } from './api-keys.js';
import type { LogLevel } from '../core/logger.js';
import { checkPipelineSection, type FuseStageName, type RecallChannelConfig, type RecallChannelName } from './pipeline-section.js';
import { CONFIG_FIELDS, type ConfigField, type EventTypeConfig } from './schema.js';

/** What `kindred serve` runs: the HTTP API, the trainer, or both (config server.role, docs/deploy.md). */
export type ServerRole = 'all' | 'api' | 'trainer';

export interface KindredConfig {
  store: { url: string; durability: 'full' | 'normal'; lockTimeoutMs: number };
  cache: { url: string };
  log: { level: LogLevel };
  server: {
    host: string; port: number; apiKeys: string[]; role: ServerRole; bodyLimitMb: number; maxBatch: number;
    rateLimit: number; rateBurst: number; corsOrigins: string[]; tlsCert: string; tlsKey: string; dashboard: boolean;
  };
  events: { types: Record<string, EventTypeConfig>; allowUnknownTypes: boolean; sentimentWeighting: boolean };
  train: {
    model: string; params: Record<string, unknown>; keepVersions: number; thread: 'worker' | 'main';
    channels: Record<string, Record<string, unknown>>; fusion: boolean;
  };
  trainer: { everyMinutes: number; afterEvents: number; checkSeconds: number; leaseSeconds: number };
  models: { pollSeconds: number; annMinItems: number; annEfSearch: number };
  popular: { halfLifeDays: number };
  recommend: { count: number; excludeConsumed: boolean; historyLimit: number; queryFloorQuantile: number };
  pipeline: {
    recall: Partial<Record<RecallChannelName, RecallChannelConfig>>;
    fuse: FuseStageName;
    coldItemShare: number;
    rerank: string[];
    cacheLists: boolean;
    precompute: boolean;
    precomputeInactiveDays: number;
  };
  interests: { maxInterests: number; longHalfLifeDays: number; shortWindow: number; shortHalfLifeDays: number; historyLimit: number; shortTermSlot: boolean; shortTermSlotHours: number; shortTermEvents: number; shortTermHalfLife: number; shortTermShare: number };
  embeddings: { provider: string };
  eval: { reportsDir: string };
  privacy: { pseudonymousIds: boolean; retentionDays: number; retentionCheckMinutes: number };
  llm: { provider: string; rerank: boolean; rerankTop: number; deadlineMs: number };
  care: {
    diversityMethod: 'mmr' | 'dpp' | 'pm2'; diversity: number; categoryCap: number; calibration: number;
    fatigueAfter: number; fatigueDecay: number; impressionCap: number; cooldownHours: number; fatigueWindowDays: number; repeatAfterDays: number;
    dailyBudget: number; qualityFloor: number; impressionTokenHours: number; impressionTokenSecret: string;
    negativeRepeat: number; negativeFade: number; showLessFade: number;
    negativeReviewBelow: number; warmReviewBoost: number; llmSentiment: boolean; gentle: boolean; gentleWindowDays: number; gentleMoodBelow: number; distressingBelow: number;
    novelty: number; noveltyDepth: number; historyRampStart: number; historyRampFull: number;
  };
}

export type ConfigInput = { [S in keyof KindredConfig]?: Partial<KindredConfig[S]> };

function parseEnv(field: ConfigField, raw: string): unknown {
  switch (field.type) {
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new EngineError('INVALID_CONFIG', `${field.env} must be a number`, { path: field.key });
      return n;
    }
    case 'boolean':
      if (!['true', 'false', '1', '0'].includes(raw)) throw new EngineError('INVALID_CONFIG', `${field.env} must be true or false`, { path: field.key });
      return raw === 'true' || raw === '1';
    case 'string[]': {
      const entries = raw.split(',').map((s) => s.trim());
      // KINDRED_API_KEYS="," must not become "no keys" (auth off): keep empty entries for checkValue to refuse.
      return field.noEmptyEntries ? entries : entries.filter(Boolean);
    }
    case 'json':
      try {
        return JSON.parse(raw);
      } catch {
        throw new EngineError('INVALID_CONFIG', `${field.env} must be JSON`, { path: field.key });
      }
    default:
      return raw;
  }
}

function checkValue(field: ConfigField, value: unknown): void {
  const bad = (why: string) => new EngineError('INVALID_CONFIG', `config ${field.key} ${why}`, { path: field.key });
  switch (field.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('must be a number');
      if (field.min !== undefined && value < field.min) throw bad(`must be >= ${field.min}`);
      if (field.max !== undefined && value > field.max) throw bad(`must be <= ${field.max}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad('must be true or false');
      return;
    case 'string':
      if (typeof value !== 'string') throw bad('must be a string');
      if (field.oneOf && !field.oneOf.includes(value)) throw bad(`must be one of ${field.oneOf.join(', ')}`);
      return;
    case 'string[]':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw bad('must be a list of strings');
      if (field.noEmptyEntries && value.some((v) => (v as string).trim() === '')) throw bad('must not have empty entries');
      return;
    case 'json':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('must be an object');
  }
}

function checkEventTypes(types: Record<string, EventTypeConfig>): void {
  for (const [name, t] of Object.entries(types)) {
    if (typeof t !== 'object' || t === null || typeof t.weight !== 'number' || !Number.isFinite(t.weight)) {
      throw new EngineError('INVALID_CONFIG', `config events.types.${name}.weight must be a number`, { path: `events.types.${name}.weight` });
    }
  }
}

function checkServerSection(server: KindredConfig['server']): void {
  parseApiKeys(server.apiKeys);
  if ((server.tlsCert === '') !== (server.tlsKey === '')) {
    const path = server.tlsCert === '' ? 'server.tlsCert' : 'server.tlsKey';
    throw new EngineError('INVALID_CONFIG', 'config server.tlsCert and server.tlsKey must be set together', { path });
  }
}

/**
 * Resolves the configuration: defaults, then the config file's values, then environment variables, then explicit
 * overrides (CLI flags). Unknown keys are rejected so typos never pass silently.
 *
 * @example resolveConfig({ store: { url: 'sqlite://:memory:' } }, process.env)
 */
export function resolveConfig(input: ConfigInput = {}, env: NodeJS.ProcessEnv = {}, overrides: ConfigInput = {}): KindredConfig {
  const known = new Set<string>(CONFIG_FIELDS.map((f) => f.key));
  for (const layer of [input, overrides]) {
    for (const [section, values] of Object.entries(layer)) {
      if (values === undefined) continue;
      if (typeof values !== 'object' || values === null) throw new EngineError('INVALID_CONFIG', `config section ${section} must be an object`, { path: section });
      for (const k of Object.keys(values)) {
        if (!known.has(`${section}.${k}`)) throw new EngineError('INVALID_CONFIG', `unknown config key ${section}.${k}`, { path: `${section}.${k}` });
      }
    }
  }
  const out: Record<string, Record<string, unknown>> = {};
  for (const field of CONFIG_FIELDS as readonly ConfigField[]) {
    const [section, key] = field.key.split('.') as [keyof KindredConfig, string];
    const pick = (layer: ConfigInput): unknown => (layer[section] as Record<string, unknown> | undefined)?.[key];
    let value: unknown = structuredClone(field.default);
    if (pick(input) !== undefined) value = pick(input);
    const raw = field.env ? env[field.env] : undefined;
    if (raw !== undefined && raw !== '') value = parseEnv(field, raw);
    if (pick(overrides) !== undefined) value = pick(overrides);
    checkValue(field, value);
    (out[section] ??= {})[key] = value;
  }
  const config = out as unknown as KindredConfig;
  checkEventTypes(config.events.types);
  checkPipelineSection(config.pipeline.recall, config.pipeline.rerank);
  checkServerSection(config.server);
  return config;
}

/** Help text for every key, generated from the schema (used by `kindred --help` and docs/configuration.md). */
export function configHelp(): string {
  return (CONFIG_FIELDS as readonly ConfigField[])
    .map((f) => `  ${f.key.padEnd(26)} ${(f.env ?? '').padEnd(34)} ${f.doc} (default: ${JSON.stringify(f.default).slice(0, 40)})`)
    .join('\n');
}
