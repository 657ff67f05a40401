/** A CSV file read as a table: header row first, then batches of data records. */
import { EngineError } from '../../core/errors.js';
import { readCsvBatches, type CsvReadOptions, type CsvRecord } from '../csv-stream.js';
import type { ReadContext } from '../source.js';
import type { DatasetFile } from './files.js';

export interface CsvTableBatch {
  header: string[];
  records: CsvRecord[];
}

/**
 * Yields the data records of a CSV file with its header; an empty file yields nothing.
 *
 * @example for await (const { header, records } of csvTable(file, ctx)) ...
 */
export async function* csvTable(file: DatasetFile, ctx: ReadContext, opts: CsvReadOptions = {}): AsyncIterable<CsvTableBatch> {
  let header: string[] | undefined;
  for await (const batch of readCsvBatches(file.path, ctx, { displayName: file.name, ...opts })) {
    let records = batch;
    if (!header) {
      header = batch[0].fields.map((h) => h.trim());
      records = batch.slice(1);
    }
    if (records.length > 0) yield { header, records };
  }
}

/**
 * Indexes of the named columns; throws IMPORT_FAILED naming the file and the missing column.
 *
 * @example const [user, movie] = requireColumns(header, ['userId', 'movieId'], file)
 */
export function requireColumns(header: string[], names: readonly string[], file: DatasetFile): number[] {
  return names.map((name) => {
    const i = header.indexOf(name);
    if (i === -1) {
      throw new EngineError('IMPORT_FAILED', `${file.name}:1: no column "${name}" (columns: ${header.join(', ')})`,
        { file: file.name, line: 1 });
    }
    return i;
  });
}

/** The reason for a record whose field count differs from the header's, or undefined when it matches. */
export function fieldCountProblem(record: CsvRecord, header: string[]): string | undefined {
  return record.fields.length === header.length
    ? undefined
    : `expected ${header.length} fields, found ${record.fields.length}`;
}
