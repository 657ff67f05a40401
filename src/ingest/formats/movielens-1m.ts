/**
 * MovieLens 1M folder, latin-1 with "::" separators: ratings.dat (UserID::MovieID::Rating::Timestamp),
 * movies.dat (MovieID::Title::Genres, genres "|"-separated) and users.dat (UserID::Gender::Age::Occupation::Zip).
 */
import { splitList, yearFromTitle } from '../convert.js';
import type { DatasetFormat, DatasetReader, ReadContext, SourceRow } from '../source.js';
import { delimitedRows, ratingEvent } from './delimited.js';
import { optionalFile, requireDirectory, requiredFile, type DatasetFile } from './files.js';

const NAME = 'movielens-1m';
const SEP = '::';

/** Occupation codes of users.dat, from the ML-1M README. */
const OCCUPATIONS = [
  'other', 'academic/educator', 'artist', 'clerical/admin', 'college/grad student', 'customer service',
  'doctor/health care', 'executive/managerial', 'farmer', 'homemaker', 'K-12 student', 'lawyer', 'programmer',
  'retired', 'sales/marketing', 'scientist', 'self-employed', 'technician/engineer', 'tradesman/craftsman',
  'unemployed', 'writer',
];

/** Age codes of users.dat (the lower bound of each band) and their labels. */
const AGE_GROUPS: Record<string, string> = {
  '1': 'Under 18', '18': '18-24', '25': '25-34', '35': '35-44', '45': '45-49', '50': '50-55', '56': '56+',
};

function movieRecord(fields: string[]): { kind: 'item'; record: unknown } | string {
  const [id, title, genres] = fields;
  if (id.trim() === '') return 'movie id is empty';
  const record: Record<string, unknown> = { id: id.trim(), title, categories: splitList(genres) };
  const year = yearFromTitle(title);
  if (year !== undefined) record.attributes = { year };
  return { kind: 'item', record };
}

function userRecord(fields: string[]): { kind: 'user'; record: unknown } | string {
  const [id, gender, age, occupation, zip] = fields;
  if (id.trim() === '') return 'user id is empty';
  const ageGroup = AGE_GROUPS[age.trim()];
  if (ageGroup === undefined) return 'age is not one of the ML-1M age codes';
  const occupationName = OCCUPATIONS[Number(occupation)];
  if (occupation.trim() === '' || occupationName === undefined) return 'occupation is not one of the ML-1M codes 0-20';
  return {
    kind: 'user',
    record: { id: id.trim(), attributes: { gender, age: Number(age), ageGroup, occupation: occupationName, zip } },
  };
}

export const movielens1mFormat: DatasetFormat = {
  name: NAME,
  description: 'MovieLens 1M folder (ratings.dat, movies.dat, users.dat; "::"-separated, latin-1)',
  options: [],
  async open(path: string): Promise<DatasetReader> {
    requireDirectory(path, NAME);
    const ratings = requiredFile(path, 'ratings.dat', NAME);
    const movies = optionalFile(path, 'movies.dat');
    const users = optionalFile(path, 'users.dat');
    return {
      files: [movies, users, ratings].filter((f): f is DatasetFile => f !== undefined),
      async *rows(ctx: ReadContext): AsyncIterable<SourceRow[]> {
        if (movies) yield* delimitedRows(movies, { separator: SEP, fields: 3, encoding: 'latin1' }, movieRecord, ctx);
        if (users) yield* delimitedRows(users, { separator: SEP, fields: 5, encoding: 'latin1' }, userRecord, ctx);
        yield* delimitedRows(ratings, { separator: SEP, fields: 4, encoding: 'latin1' },
          (f) => ratingEvent(f[0], f[1], f[2], f[3]), ctx);
      },
    };
  },
};
