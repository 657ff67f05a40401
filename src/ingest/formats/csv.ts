/**
 * Generic CSV: a header row, one record per row. A folder holds items.csv, users.csv and/or events.csv; a single
 * file's kind comes from its name or the `kind` option. Columns map to fields by name or through `columns`.
 */
import { EngineError } from '../../core/errors.js';
import type { DatasetFormat, DatasetReader, FormatOptions, ReadContext, SourceRow } from '../source.js';
import { checkColumnMap, resolveColumns, rowToRecord, type ResolvedColumns } from './column-map.js';
import { csvTable, fieldCountProblem } from './csv-table.js';
import { kindFiles, type KindFile } from './kind-files.js';
import type { RecordKind } from '../validate.js';

const NAME = 'csv';

async function* fileRows(
  { file, kind }: KindFile & { kind: RecordKind }, opts: FormatOptions, ctx: ReadContext, usedKeys: Set<string>,
): AsyncIterable<SourceRow[]> {
  let cols: ResolvedColumns | undefined;
  for await (const { header, records } of csvTable(file, ctx, { delimiter: opts.delimiter })) {
    if (!cols) {
      const resolved = resolveColumns(kind, header, opts.columns ?? {}, opts.eventType !== undefined);
      if (typeof resolved === 'string') {
        throw new EngineError('IMPORT_FAILED', `${file.name}:1: ${resolved}`, { file: file.name, line: 1 });
      }
      cols = resolved;
      for (const k of cols.usedKeys) usedKeys.add(k);
      if (kind === 'event' && cols.rest.length > 0) {
        ctx.onNote?.(`${file.name}: ignored columns ${cols.rest.map((i) => header[i]).join(', ')} (events have no attributes)`);
      }
    }
    const c = cols;
    yield records.map((r): SourceRow => {
      const problem = fieldCountProblem(r, header);
      return problem
        ? { kind: 'invalid', reason: problem, file: file.name, line: r.line }
        : { kind, record: rowToRecord(kind, r.fields, c, header, opts.eventType), file: file.name, line: r.line };
    });
  }
}

export const csvFormat: DatasetFormat = {
  name: NAME,
  description: 'CSV with a header row: items.csv / users.csv / events.csv (a folder of them, or one file); map columns with columns',
  options: ['kind', 'columns', 'delimiter', 'eventType'],
  async open(path: string, opts: FormatOptions): Promise<DatasetReader> {
    if (opts.columns) checkColumnMap(opts.columns);
    if (opts.delimiter !== undefined && opts.delimiter.length !== 1) {
      throw new EngineError('INVALID_INPUT', 'csv delimiter must be one character');
    }
    const files = kindFiles(path, ['csv'], NAME, opts.kind, false);
    return {
      files: files.map((f) => f.file),
      async *rows(ctx: ReadContext): AsyncIterable<SourceRow[]> {
        const usedKeys = new Set<string>();
        for (const f of files) {
          // kindFiles guarantees a kind when rows cannot carry one.
          if (f.kind) yield* fileRows({ file: f.file, kind: f.kind }, opts, ctx, usedKeys);
        }
        const unused = Object.keys(opts.columns ?? {}).filter((k) => !usedKeys.has(k));
        if (unused.length > 0) ctx.onNote?.(`column map entries matched no column: ${unused.join(', ')}`);
      },
    };
  },
};
