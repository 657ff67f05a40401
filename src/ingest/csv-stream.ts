/** Streams an RFC-4180 CSV file (quoted fields may hold delimiters and newlines) as batches of records. */
import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import { EngineError } from '../core/errors.js';
import { throwIfCancelled, type ReadContext } from './source.js';

export interface CsvRecord {
  fields: string[];
  /** One-based line where the record starts. */
  line: number;
}

export interface CsvReadOptions {
  delimiter?: string;
  encoding?: BufferEncoding;
  /** Records per yielded batch (default 2000). */
  batchSize?: number;
  /** Name shown in errors (default: the path). */
  displayName?: string;
}

const BATCH = 2000;

function newlines(fields: string[]): number {
  let n = 0;
  for (const f of fields) {
    for (let i = f.indexOf('\n'); i !== -1; i = f.indexOf('\n', i + 1)) n++;
  }
  return n;
}

/**
 * Yields batches of records, the header included as the first record. Rows with a different number of fields are
 * passed through (the caller reports them); broken quoting cannot be resynchronised and throws IMPORT_FAILED.
 *
 * @example for await (const batch of readCsvBatches('ratings.csv', ctx)) for (const r of batch) r.fields[0]
 */
export async function* readCsvBatches(path: string, ctx: ReadContext, opts: CsvReadOptions = {}): AsyncIterable<CsvRecord[]> {
  const stream = createReadStream(path, { encoding: opts.encoding ?? 'utf8', highWaterMark: 64 * 1024 });
  // No `info: true` (it makes parsing 3-4x slower): line numbers are counted here, which is why empty lines are
  // not skipped by the parser (they arrive as [''] and are dropped below).
  const parser = parse({ delimiter: opts.delimiter ?? ',', bom: true, relax_column_count: true });
  stream.on('error', (e) => parser.destroy(e));
  stream.pipe(parser);
  const batchSize = opts.batchSize ?? BATCH;
  let batch: CsvRecord[] = [];
  let bytesSeen = 0;
  let nextLine = 1;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      // A quoted field holding newlines makes the record span several lines.
      nextLine += 1 + newlines(fields);
      if (fields.length === 1 && fields[0] === '') continue;
      batch.push({ fields, line });
      if (batch.length >= batchSize) {
        throwIfCancelled(ctx.signal);
        ctx.onBytes(stream.bytesRead - bytesSeen);
        bytesSeen = stream.bytesRead;
        yield batch;
        batch = [];
      }
    }
  } catch (e) {
    if (isCsvError(e)) {
      const file = opts.displayName ?? path;
      // The code, not csv-parse's message: the message can quote the file's content.
      const what = e.code.slice(4).toLowerCase().replace(/_/g, ' ');
      throw new EngineError('IMPORT_FAILED', `${file}:${e.lines}: malformed CSV (${what})`, { file, line: e.lines });
    }
    throw e;
  } finally {
    stream.destroy();
  }
  ctx.onBytes(stream.bytesRead - bytesSeen);
  if (batch.length > 0) yield batch;
}

function isCsvError(e: unknown): e is CsvError & { lines: number } {
  const fields = e as { code?: unknown; lines?: unknown };
  return e instanceof Error && typeof fields.code === 'string' && fields.code.startsWith('CSV_') && typeof fields.lines === 'number';
}
