import type { Command } from 'commander';
import type { EngineStatus } from '../../engine-types.js';
import { output, withEngine, type GlobalOptions } from '../context.js';

/** The store URL without a password (postgres://user:secret@host/db -> postgres://user:***@host/db). */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}

/** `kindred status` for humans: where the store is, what it holds, which model serves. */
export function describeStatus(storeUrl: string, status: EngineStatus): string {
  const { counts, model } = status;
  return [
    `store   ${storeUrl}`,
    `holds   ${counts.items} items, ${counts.users} users, ${counts.events} events`,
    model ? `serving ${model.name} v${model.version}, trained ${model.trainedAt}` : 'serving nothing yet: run `kindred train`',
  ].join('\n');
}

/** Adds `kindred status`: the store's counts and the serving model, read-only (a missing store is an error). */
export function statusCommand(program: Command): void {
  program
    .command('status')
    .description('Show what the store holds and which model version serves (read-only)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const status = await engine.status();
        const store = redactUrl(engine.config.store.url);
        output(!!opts.json, { store, ...status }, () => describeStatus(store, status));
      });
    });
}
