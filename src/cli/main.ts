import { Command, CommanderError } from 'commander';
import { configHelp } from '../config/config.js';
import { isEngineError } from '../core/errors.js';
import { demoCommand } from './commands/demo.js';
import { evalCommand } from './commands/eval.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { modelsCommand } from './commands/models.js';
import { recommendCommand } from './commands/recommend.js';
import { serveCommand } from './commands/serve.js';
import { similarCommand } from './commands/similar.js';
import { trainCommand } from './commands/train.js';

export function buildProgram(): Command {
  const program = new Command('kindred')
    .description('Kindred: a self-hosted, humane recommendation engine')
    .option('-c, --config <file>', 'config file (default ./kindred.config.json when present)')
    .option('--db <url>', 'store URL, e.g. sqlite://./kindred.db (env KINDRED_DB)')
    .option('--log-level <level>', 'debug, info, warn, error or silent')
    .addHelpText('after', `\nConfiguration (file key, environment variable, meaning):\n${configHelp()}\n`)
    .exitOverride()
    .showHelpAfterError(false);
  for (const add of [initCommand, importCommand, trainCommand, recommendCommand, similarCommand, serveCommand, demoCommand, evalCommand, modelsCommand]) add(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/** Runs the CLI; resolves to the process exit code. Failures print one line: `kindred: <reason>`. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const message = err instanceof Error ? err.message : String(err);
    console.error(`kindred: ${message.split('\n')[0]}`);
    return isEngineError(err) && err.status < 500 ? 2 : 1;
  }
}
