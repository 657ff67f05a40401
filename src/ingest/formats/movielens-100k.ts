/**
 * MovieLens 100K folder: u.data (tab-separated user, item, stars, unix seconds), u.item (pipe-separated, latin-1:
 * id|title|release date|video release date|IMDb URL|19 genre flags), u.genre (name|index) and u.user
 * (id|age|gender|occupation|zip).
 */
import { dayMonthYearToIso, toAttributeValue, yearFromTitle } from '../convert.js';
import { readLineBatches } from '../line-stream.js';
import type { DatasetFormat, DatasetReader, ReadContext, SourceRow } from '../source.js';
import { delimitedRows, ratingEvent } from './delimited.js';
import { optionalFile, requireDirectory, requiredFile, type DatasetFile } from './files.js';

const NAME = 'movielens-100k';
const GENRE_FLAGS = 19;
// Films whose only flag is "unknown" get no category rather than a meaningless one.
const NO_GENRE = 'unknown';

/** Genre names by flag position, from u.genre ("Action|1"). */
async function readGenres(file: DatasetFile, ctx: ReadContext): Promise<string[]> {
  const names: string[] = [];
  for await (const { lines } of readLineBatches(file.path, 'latin1', ctx)) {
    for (const l of lines) {
      const [name, index] = l.split('|');
      if (name && index !== undefined && /^\d+$/.test(index.trim())) names[Number(index)] = name;
    }
  }
  return names;
}

function itemRecord(fields: string[], genres: string[]): { kind: 'item'; record: unknown } | string {
  const [id, title, releaseDate, , imdbUrl] = fields;
  if (id.trim() === '') return 'item id is empty';
  const categories: string[] = [];
  for (let g = 0; g < GENRE_FLAGS; g++) {
    const flag = fields[5 + g];
    if (flag !== '0' && flag !== '1') return `genre flag ${g + 1} is not 0 or 1`;
    const name = genres[g] ?? `genre-${g}`;
    if (flag === '1' && name !== NO_GENRE) categories.push(name);
  }
  const record: Record<string, unknown> = { id: id.trim(), categories };
  if (title.trim() !== '') record.title = title;
  const createdAt = dayMonthYearToIso(releaseDate);
  if (createdAt) record.createdAt = createdAt;
  const attributes: Record<string, string | number> = {};
  const year = yearFromTitle(title);
  if (year !== undefined) attributes.year = year;
  if (imdbUrl.trim() !== '') attributes.imdbUrl = imdbUrl.trim();
  if (Object.keys(attributes).length > 0) record.attributes = attributes;
  return { kind: 'item', record };
}

function userRecord(fields: string[]): { kind: 'user'; record: unknown } | string {
  const [id, age, gender, occupation, zip] = fields;
  if (id.trim() === '') return 'user id is empty';
  const ageValue = toAttributeValue(age);
  if (typeof ageValue !== 'number') return 'age is not a number';
  return { kind: 'user', record: { id: id.trim(), attributes: { age: ageValue, gender, occupation, zip } } };
}

export const movielens100kFormat: DatasetFormat = {
  name: NAME,
  description: 'MovieLens 100K folder (u.data, u.item, u.genre, u.user)',
  options: [],
  async open(path: string): Promise<DatasetReader> {
    requireDirectory(path, NAME);
    const data = requiredFile(path, 'u.data', NAME);
    const item = optionalFile(path, 'u.item');
    const genre = item ? requiredFile(path, 'u.genre', NAME) : undefined;
    const user = optionalFile(path, 'u.user');
    const files = [genre, item, user, data].filter((f): f is DatasetFile => f !== undefined);
    return {
      files,
      async *rows(ctx: ReadContext): AsyncIterable<SourceRow[]> {
        if (item && genre) {
          const genres = await readGenres(genre, ctx);
          yield* delimitedRows(item, { separator: '|', fields: 5 + GENRE_FLAGS, encoding: 'latin1' }, (f) => itemRecord(f, genres), ctx);
        }
        if (user) yield* delimitedRows(user, { separator: '|', fields: 5, encoding: 'latin1' }, userRecord, ctx);
        yield* delimitedRows(data, { separator: '\t', fields: 4, encoding: 'latin1' },
          (f) => ratingEvent(f[0], f[1], f[2], f[3]), ctx);
      },
    };
  },
};
