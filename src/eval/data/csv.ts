import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { EngineError } from '../../core/errors.js';
import { parseTimeCell } from './lines.js';
import { RatingsTableBuilder, type RatingsTable } from './table.js';

/** Column names of a generic ratings CSV; each is matched case-insensitively against the header row. */
export interface CsvColumns {
  user?: string;
  item?: string;
  /** Absent column: every row is a positive with rating 1. */
  rating?: string;
  /** Absent column: row order stands in for time. */
  time?: string;
}

export interface CsvOptions {
  columns?: CsvColumns;
  /** Field delimiter; default ",". */
  delimiter?: string;
  name?: string;
}

const CANDIDATES: Record<keyof CsvColumns, string[]> = {
  user: ['user', 'userid', 'user_id', 'reviewerid', 'visitorid', 'customer_id'],
  item: ['item', 'itemid', 'item_id', 'movieid', 'movie_id', 'asin', 'productid', 'product_id'],
  rating: ['rating', 'score', 'value', 'overall', 'stars'],
  time: ['timestamp', 'time', 'ts', 'date', 'unixreviewtime', 'datetime'],
};

function findColumn(header: string[], wanted: string | undefined, role: keyof CsvColumns): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  const names = wanted ? [wanted.toLowerCase()] : CANDIDATES[role];
  for (const n of names) {
    const i = lower.indexOf(n);
    if (i !== -1) return i;
  }
  if (wanted || role === 'user' || role === 'item') {
    throw new EngineError('IMPORT_FAILED', `no ${role} column (${wanted ?? names.join('/')}) in CSV header`, { path: role });
  }
  return -1;
}

/**
 * Reads a ratings CSV with a header row. Columns are found by name (defaults cover userId/movieId/rating/timestamp
 * and common variants); rows with a non-numeric rating or unreadable time are rejected with their line number.
 *
 * @example const t = await readRatingsCsv('events.csv', { columns: { item: 'sku' } })
 */
export async function readRatingsCsv(file: string, opts: CsvOptions = {}): Promise<RatingsTable> {
  const builder = new RatingsTableBuilder();
  const parser = createReadStream(file).pipe(parse({ delimiter: opts.delimiter ?? ',', relax_column_count: true, trim: true }));
  let cols: { user: number; item: number; rating: number; time: number } | undefined;
  let line = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    line++;
    if (!cols) {
      const c = opts.columns ?? {};
      cols = {
        user: findColumn(record, c.user, 'user'),
        item: findColumn(record, c.item, 'item'),
        rating: findColumn(record, c.rating, 'rating'),
        time: findColumn(record, c.time, 'time'),
      };
      continue;
    }
    const rating = cols.rating === -1 ? 1 : Number(record[cols.rating]);
    const time = cols.time === -1 ? line : parseTimeCell(record[cols.time] ?? '');
    if (!Number.isFinite(rating)) throw new EngineError('IMPORT_FAILED', `${basename(file)}: rating is not a number`, { line });
    if (!Number.isFinite(time)) throw new EngineError('IMPORT_FAILED', `${basename(file)}: unreadable time`, { line });
    builder.push(record[cols.user], record[cols.item], rating, time);
  }
  return builder.build(opts.name ?? basename(file).replace(/\.[^.]+$/, ''));
}
