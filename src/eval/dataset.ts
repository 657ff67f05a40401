import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EngineError } from '../core/errors.js';
import { readRatingsCsv, type CsvColumns } from './data/csv.js';
import { readMovieLens100k, readMovieLens1m, readMovieLensLatest } from './data/movielens.js';
import type { RatingsTable } from './data/table.js';

export type { RatingsTable } from './data/table.js';
export { RatingsTableBuilder, selectRows, rowCount, interactionCounts } from './data/table.js';

export const DATASET_FORMATS = ['movielens-100k', 'movielens-1m', 'movielens-latest', 'csv'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export interface LoadDatasetOptions {
  /** Default: detected from the files present (u.data, ratings.dat, ratings.csv, or a .csv file). */
  format?: DatasetFormat;
  /** Report name; default: the folder or file name. */
  name?: string;
  /** Generic CSV only. */
  columns?: CsvColumns;
  delimiter?: string;
}

/** Which MovieLens layout a folder holds, or undefined. */
export function detectFormat(path: string): DatasetFormat | undefined {
  if (existsSync(path) && statSync(path).isFile()) return path.endsWith('.csv') || path.endsWith('.tsv') ? 'csv' : undefined;
  if (existsSync(join(path, 'u.data'))) return 'movielens-100k';
  if (existsSync(join(path, 'ratings.dat'))) return 'movielens-1m';
  if (existsSync(join(path, 'ratings.csv'))) return 'movielens-latest';
  return undefined;
}

/**
 * Loads a ratings log into memory for evaluation. `path` is a dataset folder (MovieLens) or a file; a MovieLens
 * ratings file (u.data, ratings.dat, ratings.csv) may be given directly and its folder is used.
 *
 * @example const table = await loadDataset('/data/ml-100k', { format: 'movielens-100k' })
 */
export async function loadDataset(path: string, opts: LoadDatasetOptions = {}): Promise<RatingsTable> {
  if (!existsSync(path)) throw new EngineError('NOT_FOUND', `dataset path does not exist: ${path}`, { path: 'data' });
  const isFile = statSync(path).isFile();
  const mlFile = isFile && ['u.data', 'ratings.dat'].includes(basename(path));
  const dir = isFile && (mlFile || opts.format?.startsWith('movielens')) ? dirname(path) : path;
  const format = opts.format ?? detectFormat(mlFile ? dir : path);
  const name = opts.name ?? basename(dir);
  switch (format) {
    case 'movielens-100k':
      return readMovieLens100k(dir, name);
    case 'movielens-1m':
      return readMovieLens1m(dir, name);
    case 'movielens-latest':
      return readMovieLensLatest(dir, name);
    case 'csv':
      return readRatingsCsv(path, { columns: opts.columns, delimiter: opts.delimiter ?? (path.endsWith('.tsv') ? '\t' : ','), name: opts.name });
    default:
      throw new EngineError('INVALID_INPUT', `cannot tell the dataset format of ${basename(path)}; pass one of ${DATASET_FORMATS.join(', ')}`, { path: 'format' });
  }
}
