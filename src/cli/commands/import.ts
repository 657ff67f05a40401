import type { Command } from 'commander';
import { EngineError } from '../../core/errors.js';
import { importDataset } from '../../ingest/importer.js';
import { output, withEngine, type GlobalOptions } from '../context.js';
import { createProgress } from '../progress.js';

interface ImportFlags {
  format?: string;
  onError: string;
  itemText?: string;
  batchSize?: string;
  json?: boolean;
}

export function importCommand(program: Command): void {
  program
    .command('import <path>')
    .description('Stream a dataset into the store (formats: csv, jsonl, movielens-100k, movielens-latest, movielens-1m); see docs/importing.md')
    .option('--format <format>', 'input format (required)')
    .option('--on-error <mode>', 'skip: report bad rows and go on; abort: stop at the first bad row and leave the store as it was', 'abort')
    .option('--item-text <file>', 'attach item text from another file (e.g. TMDB tmdb_5000_movies.csv joined through links.csv)')
    .option('--batch-size <n>', 'records per write batch')
    .option('--json', 'print the import report as JSON')
    .action(async (path: string, opts: ImportFlags, cmd: Command) => {
      if (!opts.format) throw new EngineError('INVALID_INPUT', '--format is required (csv, jsonl, movielens-100k, movielens-latest, movielens-1m)');
      if (opts.onError !== 'skip' && opts.onError !== 'abort') throw new EngineError('INVALID_INPUT', '--on-error must be skip or abort');
      const progress = createProgress('importing');
      try {
        await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
          const report = await importDataset(engine.store, {
            path,
            format: opts.format as string,
            onError: opts.onError as 'skip' | 'abort',
            batchSize: opts.batchSize ? Number(opts.batchSize) : undefined,
            itemText: opts.itemText ? { path: opts.itemText } : undefined,
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

type Report = Awaited<ReturnType<typeof importDataset>>;

export function describeImport(r: Report): string {
  const lines = [`imported in ${r.seconds.toFixed(2)} s: ${JSON.stringify(r.counts)}`];
  if (r.skipped.length > 0 || r.skippedCount > 0) {
    lines.push(`skipped ${r.skippedCount} bad rows:`);
    for (const s of r.skipped.slice(0, 20)) lines.push(`  ${s.file}:${s.line}: ${s.reason}`);
  }
  return lines.join('\n');
}
