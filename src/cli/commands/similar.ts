import type { Command } from 'commander';
import { output, parseCount, withEngine, type GlobalOptions } from '../context.js';
import { renderList } from './recommend.js';

export function similarCommand(program: Command): void {
  program
    .command('similar <item>')
    .description('Items similar to an item')
    .option('-n, --count <n>', 'list length')
    .option('--filter <expr>', 'keep only items matching this expression, e.g. \'"rock" in categories\' (docs/filters.md)')
    .option('--json', 'print JSON')
    .action(async (item: string, opts: { count?: string; filter?: string; json?: boolean }, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const result = await engine.similar(item, { count: parseCount(opts.count, engine.config.recommend.count), filter: opts.filter });
        const title = (await engine.getItem(item)).title;
        output(!!opts.json, result, () => `Items like ${title ? `"${title}"` : `item ${item}`}\n${renderList(result.items)}`);
      });
    });
}
