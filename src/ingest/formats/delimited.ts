/** Rows of simple delimited text files without quoting (MovieLens .data/.item/.dat files), line by line. */
import { unixSecondsToIso } from '../convert.js';
import { readLineBatches } from '../line-stream.js';
import type { ReadContext, SourceRow } from '../source.js';
import type { RecordKind } from '../validate.js';
import type { DatasetFile } from './files.js';

/** Turns the fields of one line into a record, or returns why it cannot. */
export type FieldsToRecord = (fields: string[]) => { kind: RecordKind; record: unknown } | string;

export interface DelimitedOptions {
  separator: string;
  /** Exact number of fields of every line. */
  fields: number;
  encoding: BufferEncoding;
}

/**
 * Yields one batch of rows per chunk of the file; blank lines are skipped, lines with the wrong number of fields
 * become invalid rows.
 *
 * @example yield* delimitedRows(file, { separator: '\t', fields: 4, encoding: 'utf8' }, toRating, ctx)
 */
export async function* delimitedRows(
  file: DatasetFile, opts: DelimitedOptions, toRecord: FieldsToRecord, ctx: ReadContext,
): AsyncIterable<SourceRow[]> {
  const wrongCount = `expected ${opts.fields} fields separated by "${opts.separator}"`;
  for await (const { lines, firstLine } of readLineBatches(file.path, opts.encoding, ctx)) {
    const rows: SourceRow[] = [];
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i];
      if (text.trim() === '') continue;
      const line = firstLine + i;
      const fields = text.split(opts.separator);
      const out = fields.length === opts.fields ? toRecord(fields) : wrongCount;
      rows.push(typeof out === 'string'
        ? { kind: 'invalid', reason: out, file: file.name, line }
        : { kind: out.kind, record: out.record, file: file.name, line });
    }
    if (rows.length > 0) yield rows;
  }
}

/** A rating event from MovieLens fields (user, item, stars, unix seconds), or why not. */
export function ratingEvent(user: string, item: string, stars: string, unixSeconds: string): { kind: 'event'; record: unknown } | string {
  const value = Number(stars);
  if (stars.trim() === '' || !Number.isFinite(value)) return 'rating is not a number';
  const timestamp = unixSecondsToIso(unixSeconds);
  if (timestamp === undefined) return 'timestamp is not unix seconds';
  return { kind: 'event', record: { userId: user.trim(), itemId: item.trim(), type: 'rating', value, timestamp } };
}
