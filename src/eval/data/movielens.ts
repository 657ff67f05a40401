import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { EngineError } from '../../core/errors.js';
import { forEachLine } from './lines.js';
import { RatingsTableBuilder, type RatingsTable } from './table.js';

/** The 19 genre flags of ml-100k's u.item, in u.genre order. */
const ML100K_GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
];

function badLine(file: string, line: number, why: string): EngineError {
  return new EngineError('IMPORT_FAILED', `${file}: ${why}`, { line });
}

/**
 * MovieLens 100K folder: u.data (tab-separated user, item, rating, unix seconds) and u.item (latin-1, genre flags).
 *
 * @example const t = await readMovieLens100k('/data/ml-100k')
 */
export async function readMovieLens100k(dir: string, name = 'ml-100k'): Promise<RatingsTable> {
  const builder = new RatingsTableBuilder();
  await forEachLine(join(dir, 'u.data'), 'utf8', (line, lineNo) => {
    const f = line.split('\t');
    if (f.length < 4) throw badLine('u.data', lineNo, 'expected 4 tab-separated fields');
    builder.push(f[0], f[1], Number(f[2]), Number(f[3]));
  });
  const categories = new Map<string, string[]>();
  const titles = new Map<string, string>();
  await forEachLine(join(dir, 'u.item'), 'latin1', (line) => {
    const f = line.split('|');
    const flags = f.slice(5, 5 + ML100K_GENRES.length);
    categories.set(f[0], ML100K_GENRES.filter((_, g) => flags[g] === '1'));
    titles.set(f[0], f[1]);
  });
  return builder.build(name, { categories, titles });
}

/**
 * MovieLens 1M folder: ratings.dat (`user::item::rating::time`) and movies.dat (`item::title::A|B`, latin-1).
 *
 * @example const t = await readMovieLens1m('/data/ml-1m')
 */
export async function readMovieLens1m(dir: string, name = 'ml-1m'): Promise<RatingsTable> {
  const builder = new RatingsTableBuilder();
  await forEachLine(join(dir, 'ratings.dat'), 'utf8', (line, lineNo) => {
    const f = line.split('::');
    if (f.length < 4) throw badLine('ratings.dat', lineNo, 'expected user::item::rating::timestamp');
    builder.push(f[0], f[1], Number(f[2]), Number(f[3]));
  });
  const categories = new Map<string, string[]>();
  const titles = new Map<string, string>();
  await forEachLine(join(dir, 'movies.dat'), 'latin1', (line) => {
    const f = line.split('::');
    titles.set(f[0], f[1]);
    categories.set(f[0], splitGenres(f[2] ?? ''));
  });
  return builder.build(name, { categories, titles });
}

/**
 * MovieLens "latest" folder (ml-latest-small, ml-25m, ml-32m...): ratings.csv and movies.csv with a header row.
 *
 * @example const t = await readMovieLensLatest('/data/ml-latest-small')
 */
export async function readMovieLensLatest(dir: string, name = 'ml-latest'): Promise<RatingsTable> {
  const builder = new RatingsTableBuilder();
  await forEachLine(join(dir, 'ratings.csv'), 'utf8', (line, lineNo) => {
    if (lineNo === 1 && line.startsWith('userId')) return;
    const f = line.split(',');
    if (f.length < 4) throw badLine('ratings.csv', lineNo, 'expected userId,movieId,rating,timestamp');
    builder.push(f[0], f[1], Number(f[2]), Number(f[3]));
  });
  // movies.csv quotes titles that contain commas, so it goes through a real CSV parser (it is small).
  const records = parse(await readFile(join(dir, 'movies.csv'), 'utf8'), { from_line: 2, relax_column_count: true }) as string[][];
  const categories = new Map<string, string[]>();
  const titles = new Map<string, string>();
  for (const [id, title, genres] of records) {
    titles.set(id, title);
    categories.set(id, splitGenres(genres ?? ''));
  }
  return builder.build(name, { categories, titles });
}

/** "A|B" -> ["A", "B"]; MovieLens writes "(no genres listed)" for none. */
function splitGenres(cell: string): string[] {
  if (cell === '' || cell === '(no genres listed)') return [];
  return cell.split('|');
}
