import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDataset } from '../testkit/datasets.js';
import { movielensLatestFormat } from './formats/movielens-latest.js';
import { itemTextFile, joinOverview, loadTmdbItemText, tmdbNames } from './item-text.js';
import type { SourceRow } from './source.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-text-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const json = (names: string[]) => `"${JSON.stringify(names.map((name, id) => ({ id, name }))).replace(/"/g, '""')}"`;
const TMDB_HEADER = 'budget,genres,id,keywords,overview,tagline,title';

describe('TMDB helpers', () => {
  it('reads TMDB name lists and joins overview and tagline', () => {
    expect(tmdbNames('[{"id": 28, "name": "Action"}, {"id": 12, "name": "Adventure"}]')).toEqual(['Action', 'Adventure']);
    expect(tmdbNames('')).toEqual([]);
    expect(tmdbNames('[{"id": 1}]')).toBeUndefined();
    expect(tmdbNames('{oops')).toBeUndefined();
    expect(joinOverview(' A toy comes alive. ', 'To infinity.')).toBe('A toy comes alive. To infinity.');
    expect(joinOverview('', 'Only a tagline.')).toBe('Only a tagline.');
    expect(joinOverview(' ', '')).toBeUndefined();
  });

  it('rejects a missing file', () => {
    expect(() => itemTextFile({ path: '/nonexistent/tmdb.csv' })).toThrow(/not found/);
  });
});

describe('item text join', () => {
  const dataset = {
    'movies.csv': 'movieId,title,genres\n1,Toy Story (1995),Animation\n2,Heat (1995),Crime\n3,Nolink (2000),Drama\n',
    'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,4,1\n',
    'tags.csv': 'userId,movieId,tag,timestamp\n1,1,Pixar,1\n1,1,toys,2\n',
    'links.csv': 'movieId,imdbId,tmdbId\n1,0114709,862\n2,0113277,949\n3,0000001,\n',
  };
  const tmdb = [
    TMDB_HEADER,
    `1,${json(['Animation', 'Family'])},862,${json(['toy', 'Pixar'])},"Woody, a cowboy doll, is jealous.\nOf Buzz.",The adventure takes off!,Toy Story`,
    `2,${json(['Crime'])},949,not json,"A heist.",,Heat`,
    `3,${json(['Drama'])},5,${json([])},Not linked,,Other`,
  ].join('\n');

  it('sets text and merges TMDB genres, keywords and user tags; reports a bad TMDB row', async () => {
    const dir = folder(dataset);
    const tmdbPath = join(folder({ 'tmdb.csv': tmdb }), 'tmdb.csv');
    const reader = await movielensLatestFormat.open(dir, { itemText: { path: tmdbPath } });
    const rows: SourceRow[] = [];
    for await (const b of reader.rows({ onBytes: () => {} })) rows.push(...b);
    const items = rows.filter((r) => r.kind === 'item').map((r) => ('record' in r ? r.record : undefined));
    expect(items).toEqual([
      { id: '1', title: 'Toy Story (1995)', categories: ['Animation'], text: 'Woody, a cowboy doll, is jealous.\nOf Buzz. The adventure takes off!', tags: ['animation', 'family', 'toy', 'pixar', 'toys'], attributes: { year: 1995 } },
      { id: '2', title: 'Heat (1995)', categories: ['Crime'], attributes: { year: 1995 } },
      { id: '3', title: 'Nolink (2000)', categories: ['Drama'], attributes: { year: 2000 } },
    ]);
    expect(rows.filter((r) => r.kind === 'invalid')).toEqual([
      // Line 4: the first TMDB row spans lines 2-3 (a newline inside its quoted overview).
      { kind: 'invalid', reason: 'keywords is not a JSON list of {id, name}', file: 'tmdb.csv', line: 4 },
    ]);
    expect(reader.files.map((f) => f.path.split('/').pop())).toEqual(['tags.csv', 'links.csv', 'tmdb.csv', 'movies.csv', 'ratings.csv']);
  });

  const small = testDataset('ml-latest-small');
  const overviews = testDataset('movie-overviews');
  it.skipIf(!small || !overviews)('joins 3,537 ml-latest-small films to TMDB text (3,536 with an overview)', async () => {
    const dir = small as string;
    const links = { path: join(dir, 'links.csv'), name: 'links.csv', bytes: 0 };
    const tmdbFile = itemTextFile({ path: join(overviews as string, 'tmdb_5000_movies.csv') });
    const { byItem, invalid } = await loadTmdbItemText(tmdbFile, links, { onBytes: () => {} });
    expect(invalid).toEqual([]);
    // The dataset README: 3,536 of the 9,742 movies have an overview here; one more has only a tagline.
    expect(byItem.size).toBe(3537);
    expect([...byItem.values()].filter((e) => e.text !== undefined)).toHaveLength(3537);
    expect(byItem.get('1')?.text).toMatch(/^Led by Woody, Andy's toys live happily/);
    expect(byItem.get('1')?.tags).toContain('Animation');
  });
});
