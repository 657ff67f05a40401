import type { Command } from 'commander';
import { EngineError } from '../../core/errors.js';
import { importDataset, listFormats, parseColumnMap, type ImportReport } from '../../ingest/importer.js';
import type { RecordKind } from '../../ingest/validate.js';
import { output, withEngine, type GlobalOptions } from '../context.js';
import { createProgress } from '../progress.js';

interface ImportFlags {
  format?: string;
  onError: string;
  itemText?: string;
  kind?: string;
  map?: string;
  delimiter?: string;
  eventType?: string;
  batchSize?: string;
  json?: boolean;
}

const KINDS: readonly string[] = ['item', 'user', 'event'];

export function importCommand(program: Command): void {
  program
    .command('import <path>')
    .description(`Stream a dataset into the store (formats: ${listFormats().join(', ')}); see docs/importing.md`)
    .option('--format <format>', 'input format (required, never guessed)')
    .option('--on-error <mode>', 'skip: report bad rows and go on; abort: stop at the first bad row and leave the store as it was', 'abort')
    .option('--item-text <file>', 'movielens-latest: attach TMDB overviews (tmdb_5000_movies.csv) joined through links.csv')
    .option('--kind <kind>', 'csv/jsonl: what a single file holds (item, user or event) when its name does not say')
    .option('--map <mapping>', 'csv: field=column pairs, e.g. user=uid,item=movie,value=stars')
    .option('--delimiter <char>', 'csv: field separator')
    .option('--event-type <type>', 'csv: event type for event files without a type column')
    .option('--batch-size <n>', 'records per write batch')
    .option('--json', 'print the import report as JSON')
    .action(async (path: string, opts: ImportFlags, cmd: Command) => {
      if (!opts.format) throw new EngineError('INVALID_INPUT', `--format is required (${listFormats().join(', ')})`);
      if (opts.onError !== 'skip' && opts.onError !== 'abort') throw new EngineError('INVALID_INPUT', '--on-error must be skip or abort');
      if (opts.kind && !KINDS.includes(opts.kind)) throw new EngineError('INVALID_INPUT', '--kind must be item, user or event');
      const progress = createProgress('importing', { bytes: true });
      try {
        await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
          const report = await importDataset(engine.store, {
            path,
            format: opts.format as string,
            onError: opts.onError as 'skip' | 'abort',
            batchSize: opts.batchSize ? Number(opts.batchSize) : undefined,
            itemText: opts.itemText ? { path: opts.itemText } : undefined,
            kind: opts.kind as RecordKind | undefined,
            columns: opts.map ? parseColumnMap(opts.map) : undefined,
            delimiter: opts.delimiter,
            eventType: opts.eventType,
            eventTypes: engine.config.events.allowUnknownTypes ? undefined : Object.keys(engine.config.events.types),
            onProgress: (p) => progress.update(p.bytes, p.totalBytes),
          });
          progress.stop();
          output(!!opts.json, report, () => describeImport(report));
        });
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
