/**
 * The contract between file formats and the importer: a format opens a path and yields batches of rows, each a
 * record of one kind (not yet validated) or a row that could not be parsed, with the file and line it came from.
 */
import { EngineError } from '../core/errors.js';
import type { RecordKind } from './validate.js';

export interface RowOrigin {
  /** File name relative to the imported path (e.g. "ratings.csv"). */
  file: string;
  /** One-based line where the row starts. */
  line: number;
}

export type SourceRow =
  | (RowOrigin & { kind: RecordKind; record: unknown })
  | (RowOrigin & { kind: 'invalid'; reason: string });

/** Where item text comes from (the `--item-text` option). */
export interface ItemTextSource {
  /** Only the TMDB 5000 movies CSV (tmdb_5000_movies.csv, the default) so far; joined through MovieLens links.csv. */
  format?: 'tmdb';
  path: string;
}

/** Options only some formats use; a format rejects the ones it does not use. */
export interface FormatOptions {
  /** csv/jsonl: the kind of a single file whose rows carry no `kind` (otherwise the file name decides). */
  kind?: RecordKind;
  /** csv: record field -> CSV column, e.g. { userId: 'user', itemId: 'movie' } (see parseColumnMap). */
  columns?: Record<string, string>;
  /** csv: field separator (default ","). */
  delimiter?: string;
  /** csv: event type for events files without a `type` column. */
  eventType?: string;
  /** movielens-latest: join item text (see docs/importing.md). */
  itemText?: ItemTextSource;
}

export type FormatOptionName = keyof FormatOptions;

export interface ReadContext {
  signal?: AbortSignal;
  /** Called with the bytes read from disk since the previous call. */
  onBytes: (delta: number) => void;
  /** Something the user should know that is not a bad row, e.g. "events.csv: ignored columns a, b". */
  onNote?: (note: string) => void;
}

/** An opened dataset: the files it will read (for progress) and its rows. */
export interface DatasetReader {
  /** Every file that will be read, with its size in bytes. */
  readonly files: ReadonlyArray<{ path: string; bytes: number }>;
  /** Batches of rows (of any size; the importer re-batches). Items come before the events that reference them when the format allows. */
  rows(ctx: ReadContext): AsyncIterable<SourceRow[]>;
}

export interface DatasetFormat {
  readonly name: string;
  /** One line for help texts and the unknown-format error. */
  readonly description: string;
  /** Options from FormatOptions that this format uses; any other given option is rejected. */
  readonly options: readonly FormatOptionName[];
  /** Checks the path and options (throwing EngineError INVALID_INPUT) and prepares to read. */
  open(path: string, opts: FormatOptions): Promise<DatasetReader>;
}

/** Throws EngineError CANCELLED once the signal is aborted; readers call it between chunks. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('CANCELLED', 'import cancelled');
}
