import type { Command } from 'commander';
import { output, parseCount, withEngine, type GlobalOptions } from '../context.js';
import { renderList } from './recommend.js';

export function similarCommand(program: Command): void {
  program
    .command('similar <item>')
    .description('Items similar to an item')
    .option('-n, --count <n>', 'list length')
    .option('--filter <expr>', 'keep only items matching this expression, e.g. \'"rock" in categories\' (docs/filters.md)')
    .option('--scenario <name>', 'a stored scenario (kindred scenarios): its filter and list length apply')
    .option('--json', 'print JSON')
    .action(async (item: string, opts: { count?: string; filter?: string; scenario?: string; json?: boolean }, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const count = opts.count === undefined ? undefined : parseCount(opts.count, engine.config.recommend.count);
        const result = await engine.similar(item, { count, filter: opts.filter, scenario: opts.scenario });
        const title = (await engine.getItem(item)).title;
        output(!!opts.json, result, () => `Items like ${title ? `"${title}"` : `item ${item}`}\n${renderList(result.items)}`);
      });
    });
}
