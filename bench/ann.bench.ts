/**
 * Approximate nearest-neighbour search: recall@10 of HNSW against exact brute force, queries per second of both,
 * build time and memory, on (1) real item vectors: the builtin encoder over the TMDB 5000 overviews, and (2) 100k
 * random 100-d vectors (no cluster structure: the hard case for HNSW). Recall is reported at several efSearch values.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { silentLogger } from '../src/core/logger.js';
import { createRandom } from '../src/eval/random.js';
import { readTmdbMovies } from '../src/eval/cold-start/movie-catalogue.js';
import { openEmbeddingProvider } from '../src/providers/registry.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { ExactVectorIndex } from '../src/vectors/exact-index.js';
import { HnswVectorIndex } from '../src/vectors/hnsw-index.js';
import { timeIt, type BenchResult } from './harness.js';

const K = 10;

interface Corpus {
  name: string;
  dims: number;
  /** Row-major vectors. */
  data: Float32Array;
  queries: Float32Array;
}

const row = (data: Float32Array, dims: number, i: number): Float32Array => data.subarray(i * dims, (i + 1) * dims);
const rssMb = (): number => process.memoryUsage().rss / (1024 * 1024);

async function overviewCorpus(): Promise<Corpus | undefined> {
  const dir = datasetPath('movie-overviews');
  if (!dir) return undefined;
  const movies = [...(await readTmdbMovies(join(dir, 'tmdb_5000_movies.csv'))).values()].filter((m) => m.overview);
  const provider = await openEmbeddingProvider('builtin', { cacheDir: join(tmpdir(), 'kindred-test-cache'), logger: silentLogger });
  if (!provider) return undefined;
  const vectors = await provider.embed(movies.map((m) => `${m.title}. ${m.overview}`));
  const dims = provider.dimensions;
  const data = new Float32Array(vectors.length * dims);
  vectors.forEach((v, i) => data.set(v, i * dims));
  // queries: 500 of the items themselves (a "similar items" workload); the item itself counts in both answers
  const rng = createRandom(7);
  const queries = new Float32Array(500 * dims);
  for (let q = 0; q < 500; q++) queries.set(row(data, dims, rng.int(vectors.length)), q * dims);
  return { name: 'tmdb-overviews-builtin', dims, data, queries };
}

function randomCorpus(n: number, dims: number, nQueries: number): Corpus {
  const rng = createRandom(11);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return {
    name: `random-${n / 1000}k-${dims}d`,
    dims,
    data: Float32Array.from({ length: n * dims }, gauss),
    queries: Float32Array.from({ length: nQueries * dims }, gauss),
  };
}

/** One HNSW configuration to build, and the efSearch values to query it with. */
interface GraphConfig {
  m: number;
  efConstruction: number;
  efSearch: number[];
}

async function benchCorpus(c: Corpus, configs: GraphConfig[]): Promise<BenchResult[]> {
  const n = c.data.length / c.dims;
  const nq = c.queries.length / c.dims;
  const out: BenchResult[] = [];
  const push = (name: string, metric: string, value: number, unit: string, extra?: BenchResult['extra']) =>
    out.push({ name: `ann.${name}`, dataset: c.name, metric, value, unit, extra: { n, dims: c.dims, queries: nq, ...extra } });

  const rss0 = rssMb();
  const exact = new ExactVectorIndex(c.dims, 'cosine', n);
  const exactBuild = await timeIt(() => {
    for (let i = 0; i < n; i++) exact.add(i, row(c.data, c.dims, i));
  });
  push('exact', 'build', exactBuild.seconds, 's');
  push('exact', 'memory', rssMb() - rss0, 'MiB', { vectorsMb: (n * c.dims * 4) / 2 ** 20 });

  const truth: Set<number>[] = [];
  const exactQueries = await timeIt(() => {
    for (let q = 0; q < nq; q++) truth.push(new Set(exact.search(row(c.queries, c.dims, q), K).map((h) => h.index)));
  });
  push('exact', 'queries/s', nq / exactQueries.seconds, 'q/s');

  for (const { m, efConstruction, efSearch } of configs) {
    const name = `hnsw.m${m}`;
    const graph = new HnswVectorIndex(c.dims, 'cosine', { m, efConstruction });
    graph.reserve(n);
    const rss1 = rssMb();
    const build = await timeIt(() => {
      for (let i = 0; i < n; i++) graph.add(i, row(c.data, c.dims, i));
    });
    push(name, 'build', build.seconds, 's', { efConstruction });
    push(name, 'memory', rssMb() - rss1, 'MiB', { serializedMb: graph.save().byteLength / 2 ** 20 });
    for (const ef of efSearch) {
      graph.setEfSearch(ef);
      let found = 0;
      const timed = await timeIt(() => {
        for (let q = 0; q < nq; q++) {
          for (const h of graph.search(row(c.queries, c.dims, q), K)) if (truth[q].has(h.index)) found++;
        }
      });
      push(`${name}.ef${ef}`, 'recall@10', found / (nq * K), 'ratio');
      push(`${name}.ef${ef}`, 'queries/s', nq / timed.seconds, 'q/s', { speedupVsExact: exactQueries.seconds / timed.seconds });
    }
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const overviews = await overviewCorpus();
  if (overviews) results.push(...(await benchCorpus(overviews, [{ m: 16, efConstruction: 200, efSearch: [16, 32, 64, 128] }])));
  else console.warn('skipping the real-vector ANN bench: movie-overviews not found (KINDRED_DATA_DIR)');
  // i.i.d. Gaussian vectors have no neighbourhood structure: every point is almost equally far from a query, the
  // worst case for graph search, so this corpus needs far wider beams (and more links) for the same recall.
  results.push(...(await benchCorpus(randomCorpus(100_000, 100, 500), [
    { m: 16, efConstruction: 200, efSearch: [64, 256, 1024] },
    { m: 48, efConstruction: 200, efSearch: [256, 1024] },
  ])));
  return results;
}
