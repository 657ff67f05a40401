import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EngineError } from '../../core/errors.js';
import { erasedAnything } from '../../privacy/erase-receipt.js';
import { withEngine, type GlobalOptions } from '../context.js';
import { STDOUT_PATH } from '../write-output.js';

/**
 * Adds `kindred export-user <id> [--out file]` (everything stored about a user, as JSON) and `kindred erase-user <id>`
 * (erases them and prints the erase receipt as JSON). Both fail with NOT_FOUND (exit 2) when the store holds nothing.
 * `kindred purge-expired [--days n]` purges events past the retention age (privacy/retention.ts) and prints the report.
 */
export function userDataCommands(program: Command): void {
  program
    .command('export-user <user>')
    .description('Write everything stored about a user as JSON: record, events with review text, interest profile, care preferences')
    .option('--out <file>', 'write to this file (created readable by its owner only) instead of standard output', STDOUT_PATH)
    .action(async (user: string, opts: { out: string }, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const text = `${JSON.stringify(await engine.exportUser(user), null, 2)}\n`;
        // Personal data: a file is created for its owner only.
        if (opts.out === STDOUT_PATH) process.stdout.write(text);
        else writeFileSync(opts.out, text, { mode: 0o600 });
      });
    });

  program
    .command('erase-user <user>')
    .description("Erase a user (record, events, profile, preferences, cached lists, older model versions trained on them) and print the receipt as JSON")
    .action(async (user: string, _opts: unknown, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const receipt = await engine.eraseUser(user);
        if (!erasedAnything(receipt)) throw new EngineError('NOT_FOUND', 'unknown user: nothing stored under that id', { id: user });
        console.log(JSON.stringify(receipt, null, 2));
      });
    });

  program
    .command('purge-expired')
    .description('Delete events older than privacy.retentionDays (0 = keep forever) with the care of an erase, and print the report as JSON')
    .option('--days <n>', 'use this retention in days instead of privacy.retentionDays')
    .action(async (opts: { days?: string }, cmd: Command) => {
      const overrides = opts.days === undefined ? {} : { privacy: { retentionDays: Number(opts.days) } };
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        console.log(JSON.stringify(await engine.purgeExpired(), null, 2));
      }, overrides);
    });
}
