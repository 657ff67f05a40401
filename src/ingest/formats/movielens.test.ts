import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../core/errors.js';
import { testDataset } from '../../testkit/datasets.js';
import type { DatasetFormat, FormatOptions, SourceRow } from '../source.js';
import { movielens100kFormat } from './movielens-100k.js';
import { movielens1mFormat } from './movielens-1m.js';
import { movielensLatestFormat } from './movielens-latest.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-ml-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function readAll(format: DatasetFormat, path: string, opts: FormatOptions = {}) {
  const reader = await format.open(path, opts);
  const rows: SourceRow[] = [];
  let bytes = 0;
  for await (const batch of reader.rows({ onBytes: (d) => { bytes += d; } })) rows.push(...batch);
  return { rows, bytes, totalBytes: reader.files.reduce((s, f) => s + f.bytes, 0) };
}

const ofKind = (rows: SourceRow[], kind: SourceRow['kind']) => rows.filter((r) => r.kind === kind);
const recordsOf = (rows: SourceRow[], kind: SourceRow['kind']) => ofKind(rows, kind).map((r) => ('record' in r ? r.record : undefined));

const genres = 'unknown|0\nAction|1\nAdventure|2\nAnimation|3\nChildren\'s|4\nComedy|5\nCrime|6\nDocumentary|7\nDrama|8\n'
  + 'Fantasy|9\nFilm-Noir|10\nHorror|11\nMusical|12\nMystery|13\nRomance|14\nSci-Fi|15\nThriller|16\nWar|17\nWestern|18\n\n';
const flags = (on: number[]) => Array.from({ length: 19 }, (_, i) => (on.includes(i) ? '1' : '0')).join('|');

describe('movielens-100k', () => {
  it('reads items (latin-1, genres), users and ratings with line numbers', async () => {
    const dir = folder({
      'u.genre': genres,
      // "é" in latin-1 is the single byte 0xE9.
      'u.item': Buffer.from(`1|Toy Story (1995)|01-Jan-1995||http://imdb/x|${flags([3, 4, 5])}\n2|Am\xe9lie (2001)||||${flags([0])}\n`, 'latin1'),
      'u.user': '1|24|M|technician|85711\n2|x|F|other|02139\n',
      'u.data': '1\t1\t5\t881250949\n\n2\t2\t3.5\t881250950\n3\t1\n',
    });
    const { rows, bytes, totalBytes } = await readAll(movielens100kFormat, dir);
    expect(bytes).toBe(totalBytes);
    expect(recordsOf(rows, 'item')).toEqual([
      { id: '1', title: 'Toy Story (1995)', categories: ['Animation', "Children's", 'Comedy'], createdAt: '1995-01-01T00:00:00.000Z', attributes: { year: 1995, imdbUrl: 'http://imdb/x' } },
      { id: '2', title: 'Amélie (2001)', categories: [], attributes: { year: 2001 } },
    ]);
    expect(recordsOf(rows, 'user')).toEqual([{ id: '1', attributes: { age: 24, gender: 'M', occupation: 'technician', zip: '85711' } }]);
    expect(ofKind(rows, 'event').map((r) => ({ line: r.line, record: 'record' in r ? r.record : undefined }))).toEqual([
      { line: 1, record: { userId: '1', itemId: '1', type: 'rating', value: 5, timestamp: '1997-12-04T15:55:49.000Z' } },
      { line: 3, record: { userId: '2', itemId: '2', type: 'rating', value: 3.5, timestamp: '1997-12-04T15:55:50.000Z' } },
    ]);
    expect(ofKind(rows, 'invalid')).toEqual([
      { kind: 'invalid', file: 'u.user', line: 2, reason: 'age is not a number' },
      { kind: 'invalid', file: 'u.data', line: 4, reason: 'expected 4 fields separated by "\t"' },
    ]);
  });

  it('needs u.data, and u.genre when there is a u.item', async () => {
    await expect(movielens100kFormat.open(folder({ 'u.item': '' }), {})).rejects.toThrow(/u\.data not found/);
    await expect(movielens100kFormat.open(folder({ 'u.data': '', 'u.item': '' }), {})).rejects.toThrow(/u\.genre not found/);
    await expect(movielens100kFormat.open(join(folder({ 'u.data': '' }), 'u.data'), {})).rejects.toThrow(/expects a folder/);
  });

  const ml100k = testDataset('ml-100k');
  it.skipIf(!ml100k)('reads the real ml-100k: 1682 items, 943 users, 100000 ratings, no bad rows', async () => {
    const { rows } = await readAll(movielens100kFormat, ml100k as string);
    expect(ofKind(rows, 'item')).toHaveLength(1682);
    expect(ofKind(rows, 'user')).toHaveLength(943);
    expect(ofKind(rows, 'event')).toHaveLength(100_000);
    expect(ofKind(rows, 'invalid')).toHaveLength(0);
    const items = recordsOf(rows, 'item') as Array<{ id: string; title: string; categories: string[] }>;
    expect(items[0]).toMatchObject({ id: '1', title: 'Toy Story (1995)', categories: ['Animation', "Children's", 'Comedy'] });
  });
});

describe('movielens-1m', () => {
  it('reads "::"-separated latin-1 files and decodes user codes', async () => {
    const dir = folder({
      'movies.dat': Buffer.from('1::Toy Story (1995)::Animation|Children\'s|Comedy\n2::Caf\xe9 (1999)::Drama\n', 'latin1'),
      'users.dat': '1::F::1::10::48067\n2::M::56::16::70072\n3::M::99::1::1\n',
      'ratings.dat': '1::1::5::978300760\n2::2::x::978300761\n',
    });
    const { rows } = await readAll(movielens1mFormat, dir);
    expect(recordsOf(rows, 'item')).toEqual([
      { id: '1', title: 'Toy Story (1995)', categories: ['Animation', "Children's", 'Comedy'], attributes: { year: 1995 } },
      { id: '2', title: 'Café (1999)', categories: ['Drama'], attributes: { year: 1999 } },
    ]);
    expect(recordsOf(rows, 'user')).toEqual([
      { id: '1', attributes: { gender: 'F', age: 1, ageGroup: 'Under 18', occupation: 'K-12 student', zip: '48067' } },
      { id: '2', attributes: { gender: 'M', age: 56, ageGroup: '56+', occupation: 'self-employed', zip: '70072' } },
    ]);
    expect(recordsOf(rows, 'event')).toEqual([{ userId: '1', itemId: '1', type: 'rating', value: 5, timestamp: '2000-12-31T22:12:40.000Z' }]);
    expect(ofKind(rows, 'invalid').map((r) => [r.file, r.line, 'reason' in r ? r.reason : ''])).toEqual([
      ['users.dat', 3, 'age is not one of the ML-1M age codes'],
      ['ratings.dat', 2, 'rating is not a number'],
    ]);
  });
});

describe('movielens-latest', () => {
  const latest = {
    'movies.csv': 'movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n2,"American President, The (1995)",Comedy|Drama|Romance\n3,Unknown Film,(no genres listed)\n',
    'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,0.5,964982704\n2,1,x,964982705\n',
    'tags.csv': 'userId,movieId,tag,timestamp\n2,1,Pixar,1\n3,1,pixar ,2\n4,1,fun,3\n5,2,"politics, US",4\n',
  };

  it('reads quoted titles, splits genres and aggregates tags by frequency', async () => {
    const { rows } = await readAll(movielensLatestFormat, folder(latest));
    expect(recordsOf(rows, 'item')).toEqual([
      { id: '1', title: 'Toy Story (1995)', categories: ['Adventure', 'Animation'], tags: ['pixar', 'fun'], attributes: { year: 1995 } },
      { id: '2', title: 'American President, The (1995)', categories: ['Comedy', 'Drama', 'Romance'], tags: ['politics, us'], attributes: { year: 1995 } },
      { id: '3', title: 'Unknown Film', categories: [] },
    ]);
    expect(recordsOf(rows, 'event')).toEqual([
      { userId: '1', itemId: '1', type: 'rating', value: 4, timestamp: '2000-07-30T18:45:03.000Z' },
      { userId: '1', itemId: '2', type: 'rating', value: 0.5, timestamp: '2000-07-30T18:45:04.000Z' },
    ]);
    expect(ofKind(rows, 'invalid')).toEqual([{ kind: 'invalid', file: 'ratings.csv', line: 4, reason: 'rating is not a number' }]);
  });

  it('fails clearly on a missing column', async () => {
    const dir = folder({ ...latest, 'ratings.csv': 'user,movieId,rating,timestamp\n1,1,4,1\n' });
    const err = await readAll(movielensLatestFormat, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('IMPORT_FAILED');
    expect((err as EngineError).message).toBe('ratings.csv:1: no column "userId" (columns: user, movieId, rating, timestamp)');
  });

  const small = testDataset('ml-latest-small');
  it.skipIf(!small)('reads the real ml-latest-small: 9742 movies, 100836 ratings, no bad rows', async () => {
    const { rows, bytes, totalBytes } = await readAll(movielensLatestFormat, small as string);
    expect(ofKind(rows, 'item')).toHaveLength(9742);
    expect(ofKind(rows, 'event')).toHaveLength(100_836);
    expect(ofKind(rows, 'invalid')).toHaveLength(0);
    expect(bytes).toBe(totalBytes);
    const withTags = (recordsOf(rows, 'item') as Array<{ tags?: string[] }>).filter((i) => i.tags);
    expect(withTags.length).toBeGreaterThan(1000); // 3683 tag applications on 1572 films
  });
});
