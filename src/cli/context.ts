import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveConfig, type ConfigInput, type KindredConfig } from '../config/config.js';
import { EngineError, errorMessage } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { openStore } from '../storage/registry.js';
import type { Store } from '../storage/store.js';

/** Options every command accepts (declared once in main.ts). */
export interface GlobalOptions {
  config?: string;
  db?: string;
  logLevel?: string;
}

const DEFAULT_CONFIG_FILE = 'kindred.config.json';

/** Config file (explicit, or ./kindred.config.json when present) < environment < command-line flags. */
export function loadConfig(globals: GlobalOptions, overrides: ConfigInput = {}): KindredConfig {
  let fileInput: ConfigInput = {};
  const path = globals.config ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (path) {
    try {
      fileInput = JSON.parse(readFileSync(resolve(path), 'utf8')) as ConfigInput;
    } catch (err) {
      throw new EngineError('INVALID_CONFIG', `cannot read config file ${path}: ${errorMessage(err)}`);
    }
  }
  const flags: ConfigInput = { ...overrides };
  if (globals.db) flags.store = { ...flags.store, url: globals.db };
  if (globals.logLevel) flags.log = { ...flags.log, level: globals.logLevel as KindredConfig['log']['level'] };
  return resolveConfig(fileInput, process.env, flags);
}

/** How a command may open the store. */
export interface StoreAccess {
  /** Only init, import and demo create a store; every other command fails on a missing one (default false). */
  createStore?: boolean;
}

/**
 * Opens the engine for one command and always closes it. The store must already exist unless `access.createStore`.
 *
 * @example await withEngine(globals, async (engine) => console.log(await engine.status()));
 */
export async function withEngine<T>(globals: GlobalOptions, run: (engine: Engine) => Promise<T>, overrides: ConfigInput = {}, access: StoreAccess = {}): Promise<T> {
  // CLI commands log warnings only unless asked: stdout carries the command's output.
  const config = loadConfig({ logLevel: 'warn', ...globals }, overrides);
  const engine = await createEngine(config, { createStore: access.createStore === true });
  try {
    return await run(engine);
  } finally {
    await engine.close();
  }
}

/**
 * Like withEngine, for the commands that also write to the store directly (bulk import): opens the store itself,
 * hands it to the engine (which then does not own it), and closes the engine, then the store.
 *
 * @example await withStoreAndEngine(globals, (store, engine) => importDataset(store, { path, format, eventTypes: Object.keys(engine.config.events.types) }), {}, { createStore: true })
 */
export async function withStoreAndEngine<T>(
  globals: GlobalOptions, run: (store: Store, engine: Engine) => Promise<T>, overrides: ConfigInput = {}, access: StoreAccess = {},
): Promise<T> {
  const config = loadConfig({ logLevel: 'warn', ...globals }, overrides);
  const logger = createLogger(config.log.level);
  const store = await openStore(config.store.url, {
    logger, create: access.createStore === true, durability: config.store.durability, lockTimeoutMs: config.store.lockTimeoutMs,
  });
  try {
    const engine = await createEngine(config, { logger, store });
    try {
      return await run(store, engine);
    } finally {
      await engine.close();
    }
  } finally {
    await store.close();
  }
}

/** Prints JSON or a human rendering, chosen by --json. */
export function output(json: boolean, value: unknown, human: () => string): void {
  console.log(json ? JSON.stringify(value, null, 2) : human());
}

export function parseCount(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new EngineError('INVALID_INPUT', `-n must be a whole number from 1 to 1000, got "${raw}"`);
  return n;
}
