import type { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { CONFIG_FIELDS } from '../../config/schema.js';
import { EngineError } from '../../core/errors.js';
import { loadConfig, withEngine, type GlobalOptions } from '../context.js';
import { redactUrl } from './status.js';

/** The default config as a nested object, written by `kindred init` so every key is visible and editable. */
function defaultConfigFile(dbUrl: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const f of CONFIG_FIELDS) {
    const [section, key] = f.key.split('.') as [string, string];
    (out[section] ??= {})[key] = f.key === 'store.url' ? dbUrl : f.default;
  }
  return out;
}

export function initCommand(program: Command): void {
  program
    .command('init')
    .description('Write kindred.config.json with every setting at its default and create the store')
    .option('--force', 'overwrite an existing kindred.config.json')
    .action(async (opts: { force?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const file = globals.config ?? 'kindred.config.json';
      if (existsSync(file) && !opts.force) throw new EngineError('CONFLICT', `${file} exists (use --force to overwrite)`);
      const config = loadConfig({ ...globals, config: undefined });
      writeFileSync(file, JSON.stringify(defaultConfigFile(config.store.url), null, 2) + '\n');
      await withEngine({ ...globals, config: file }, async (engine) => {
        const { counts } = await engine.status();
        console.log(`wrote ${file}; store ${redactUrl(config.store.url)} ready (${counts.items} items, ${counts.users} users, ${counts.events} events)`);
      }, {}, { createStore: true });
    });
}
