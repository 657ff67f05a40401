import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { configHelp } from '../config/config.js';
import { CONFIG_FIELDS } from '../config/schema.js';
import { errorMessage, isEngineError } from '../core/errors.js';
import { demoCommand } from './commands/demo.js';
import { evalCommand } from './commands/eval.js';
import { hashKeyCommand } from './commands/hash-key.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { modelsCommand } from './commands/models.js';
import { precomputeCommand } from './commands/precompute.js';
import { profileCommand } from './commands/profile.js';
import { recommendCommand } from './commands/recommend.js';
import { scenariosCommand } from './commands/scenarios.js';
import { serveCommand } from './commands/serve.js';
import { similarCommand } from './commands/similar.js';
import { statusCommand } from './commands/status.js';
import { trainCommand } from './commands/train.js';
import { userDataCommands } from './commands/user-data.js';

/**
 * The version in the package's own package.json, read when the CLI runs (dist/cli/ and src/cli/ are two levels down).
 *
 * @example packageVersion() // '0.1.0'
 */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('kindred')
    .description('Kindred: a self-hosted, humane recommendation engine')
    .version(packageVersion(), '-V, --version', 'print the Kindred version')
    .option('-c, --config <file>', 'config file (default ./kindred.config.json when present)')
    .option('--db <url>', 'store URL, e.g. sqlite://./kindred.db (env KINDRED_DB)')
    .addOption(new Option('--log-level <level>', 'log level').choices(CONFIG_FIELDS.find((f) => f.key === 'log.level')?.oneOf ?? []))
    .addHelpText('after', `\nConfiguration (file key, environment variable, meaning):\n${configHelp()}\n`)
    .exitOverride()
    .showHelpAfterError(false);
  for (const add of [initCommand, importCommand, trainCommand, recommendCommand, similarCommand, statusCommand, serveCommand, demoCommand, evalCommand, modelsCommand, profileCommand, scenariosCommand, precomputeCommand, hashKeyCommand, userDataCommands]) add(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/** Runs the CLI; resolves to the process exit code. Failures print `kindred: <reason>` (every line of it). */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const message = errorMessage(err);
    console.error(`kindred: ${message}`);
    return isEngineError(err) && err.status < 500 ? 2 : 1;
  }
}
