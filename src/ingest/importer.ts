/**
 * Imports a dataset file or folder into a store, all or nothing: every write goes through one bulk writer that is
 * committed at the end and rolled back on any failure or cancellation, so the store is never left half-imported.
 */
import { systemClock, type Clock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import type { Store } from '../storage/store.js';
import { checkFormatOptions, getFormat } from './formats/index.js';
import { ImportSink, type ImportCounts, type SkippedRow } from './import-sink.js';
import { throwIfCancelled, type FormatOptions, type ItemTextSource, type ReadContext } from './source.js';
import { TitleOverlapCheck, type ItemOverlap } from './title-overlap.js';
import type { RecordKind } from './validate.js';
import type { UserIdMapper } from '../privacy/pseudonymous-ids.js';

export type { ImportCounts, SkippedRow } from './import-sink.js';
export type { ItemTextSource } from './source.js';
export type { ItemOverlap } from './title-overlap.js';
export { parseColumnMap } from './formats/column-map.js';
export { listFormats } from './formats/index.js';

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
  /** Rows read so far (good and bad). */
  records: number;
}

export interface ImportOptions {
  /** A file or folder, as the format expects. */
  path: string;
  /** One of listFormats(); required, never guessed. */
  format: string;
  /** skip: report bad rows and go on; abort: throw IMPORT_FAILED at the first bad row, store left unchanged. */
  onError: 'skip' | 'abort';
  /** Records per write (default 5000). */
  batchSize?: number;
  /** movielens-latest: join item text (TMDB overviews) through links.csv. */
  itemText?: ItemTextSource;
  /** csv/jsonl: kind of a single file whose name does not say it. */
  kind?: RecordKind;
  /** csv: field -> column (see parseColumnMap). */
  columns?: Record<string, string>;
  /** csv: field separator. */
  delimiter?: string;
  /** csv: event type for events files without a type column. */
  eventType?: string;
  /** When given, events of other types are bad rows (e.g. the keys of config events.types). */
  eventTypes?: readonly string[];
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  clock?: Clock;
  /** privacy.pseudonymousIds: every user id is stored as what this returns (src/privacy/pseudonymous-ids.ts). */
  userIds?: UserIdMapper;
}

export interface ImportReport {
  format: string;
  counts: ImportCounts;
  /** The first 1000 bad rows; skippedCount has them all. */
  skipped: SkippedRow[];
  skippedCount: number;
  /** Things worth knowing that are not bad rows (ignored columns, unused column mappings). */
  notes: string[];
  /** Things that may have gone wrong although every row was valid, e.g. a second dataset imported into the same store. */
  warnings: string[];
  /** Imported item ids already in the store before the import, and how many of them had another title. */
  itemOverlap: ItemOverlap;
  seconds: number;
}

const DEFAULT_BATCH = 5000;
const MAX_SKIPPED_DETAILS = 1000;

/**
 * Streams the dataset into the store through one bulk writer and returns what was imported and skipped.
 * Throws INVALID_INPUT for a bad format/path/option, IMPORT_FAILED (with file and line) for a bad row in abort mode
 * or an unreadable file, CANCELLED when the signal aborts; in every failure the store is left as it was.
 *
 * @example const report = await importDataset(store, { path: './ml-100k', format: 'movielens-100k', onError: 'skip' })
 */
export async function importDataset(store: Store, opts: ImportOptions): Promise<ImportReport> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new EngineError('INVALID_INPUT', 'batchSize must be a positive integer');
  const format = getFormat(opts.format);
  const formatOptions: FormatOptions = {
    kind: opts.kind, columns: opts.columns, delimiter: opts.delimiter, eventType: opts.eventType, itemText: opts.itemText,
  };
  checkFormatOptions(format, formatOptions);
  const reader = await format.open(opts.path, formatOptions);
  throwIfCancelled(opts.signal);

  const progress: ImportProgress = { bytes: 0, totalBytes: reader.files.reduce((s, f) => s + f.bytes, 0), records: 0 };
  const notes: string[] = [];
  const ctx: ReadContext = { signal: opts.signal, onBytes: (d) => { progress.bytes += d; }, onNote: (n) => notes.push(n) };
  const titleCheck = await TitleOverlapCheck.start(store);
  const writer = await store.bulk();
  const sink = new ImportSink(store, writer, {
    onError: opts.onError,
    batchSize,
    eventTypes: opts.eventTypes ? new Set(opts.eventTypes) : undefined,
    maxSkippedDetails: MAX_SKIPPED_DETAILS,
    titleCheck,
    userIds: opts.userIds,
  });
  let committed = false;
  try {
    for await (const rows of reader.rows(ctx)) {
      throwIfCancelled(opts.signal);
      for (const row of rows) {
        sink.accept(row);
        if (sink.full) await sink.flush();
      }
      progress.records += rows.length;
      opts.onProgress?.({ ...progress });
    }
    await sink.flush();
    throwIfCancelled(opts.signal);
    await writer.commit();
    committed = true;
  } finally {
    if (!committed) await writer.rollback();
  }
  return {
    format: format.name,
    counts: { ...sink.counts },
    skipped: sink.skipped,
    skippedCount: sink.skippedCount,
    notes,
    warnings: [titleCheck.warning(sink.counts.items)].filter((w): w is string => w !== undefined),
    itemOverlap: { ...titleCheck.overlap },
    seconds: (clock.now() - started) / 1000,
  };
}
