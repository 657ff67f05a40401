import { Option, type Command } from 'commander';
import { getFormat } from '../../ingest/formats/index.js';
import { importDataset, listFormats, parseColumnMap, type ImportReport } from '../../ingest/importer.js';
import type { RecordKind } from '../../ingest/validate.js';
import { output, withStoreAndEngine, type GlobalOptions } from '../context.js';
import { createProgress } from '../progress.js';
import { userIdMapper } from '../../privacy/pseudonymous-ids.js';

interface ImportFlags {
  format?: string;
  onError: 'skip' | 'abort';
  itemText?: string;
  kind?: RecordKind;
  map?: string;
  delimiter?: string;
  eventType?: string;
  batchSize?: string;
  json?: boolean;
}

const KINDS: readonly RecordKind[] = ['item', 'user', 'event'];

/** The formats as an indented two-column list, for `kindred import --help`. */
function formatHelp(): string {
  return listFormats().map((f) => `  ${f.name.padEnd(18)} ${f.description}`).join('\n');
}

export function importCommand(program: Command): void {
  const formatNames = listFormats().map((f) => f.name);
  program
    .command('import <path>')
    .description(`Stream a dataset into the store (formats: ${formatNames.join(', ')}); see docs/importing.md`)
    .addOption(new Option('--format <format>', 'input format (required, never guessed)').choices(formatNames))
    .addOption(new Option('--on-error <mode>', 'skip: report bad rows and go on; abort: stop at the first bad row and leave the store as it was').choices(['skip', 'abort']).default('abort'))
    .option('--item-text <file>', 'movielens-latest: attach TMDB overviews (tmdb_5000_movies.csv) joined through links.csv')
    .addOption(new Option('--kind <kind>', 'csv/jsonl: what a single file holds when its name does not say').choices(KINDS))
    .option('--map <mapping>', 'csv: field=column pairs, e.g. user=uid,item=movie,value=stars')
    .option('--delimiter <char>', 'csv: field separator')
    .option('--event-type <type>', 'csv: event type for event files without a type column')
    .option('--batch-size <n>', 'records per write batch')
    .option('--json', 'print the import report as JSON')
    .addHelpText('after', `\nFormats:\n${formatHelp()}\n\nImporting a second, different dataset into a store that holds one already mixes their ids: give each\ndataset its own store with --db (e.g. --db sqlite://./ml100k.db).\n`)
    .action(async (path: string, opts: ImportFlags, cmd: Command) => {
      getFormat(opts.format); // no --format: fail with the list of formats before any store is opened
      const progress = createProgress('importing', { bytes: true });
      try {
        await withStoreAndEngine(cmd.optsWithGlobals<GlobalOptions>(), async (store, engine) => {
          const report = await importDataset(store, {
            path,
            format: opts.format as string,
            onError: opts.onError,
            batchSize: opts.batchSize ? Number(opts.batchSize) : undefined,
            itemText: opts.itemText ? { path: opts.itemText } : undefined,
            kind: opts.kind,
            columns: opts.map ? parseColumnMap(opts.map) : undefined,
            delimiter: opts.delimiter,
            eventType: opts.eventType,
            eventTypes: engine.config.events.allowUnknownTypes ? undefined : Object.keys(engine.config.events.types),
            onProgress: (p) => progress.update(p.bytes, p.totalBytes),
            userIds: userIdMapper(engine.config.privacy.pseudonymousIds, process.env.KINDRED_ID_KEY),
          });
          progress.stop();
          output(!!opts.json, report, () => describeImport(report));
          for (const warning of report.warnings) console.error(`kindred: warning: ${warning}`);
        }, {}, { createStore: true });
      } finally {
        progress.stop();
      }
    });
}

export function describeImport(r: ImportReport): string {
  const c = r.counts;
  const lines = [
    `imported ${r.format} in ${r.seconds.toFixed(2)} s: ${c.items} items, ${c.users} users, ${c.events} events (${c.duplicates} duplicates skipped)` +
      (c.bareItems + c.bareUsers > 0 ? `; created from events alone: ${c.bareItems} items, ${c.bareUsers} users` : ''),
  ];
  for (const note of r.notes) lines.push(`note: ${note}`);
  if (r.skippedCount > 0) {
    lines.push(`skipped ${r.skippedCount} bad rows:`);
    for (const s of r.skipped.slice(0, 20)) lines.push(`  ${s.file}:${s.line}: ${s.reason}`);
  }
  return lines.join('\n');
}
