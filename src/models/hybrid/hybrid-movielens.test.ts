import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { movieItem, readMovieCatalogue, type MovieCatalogue } from '../../eval/cold-start/movie-catalogue.js';
import { buildInteractions } from '../../eval/matrix.js';
import { runEvaluation } from '../../eval/runner.js';
import { itemEmbeddingText } from '../../jobs/item-embeddings.js';
import type { EmbeddingProvider } from '../../providers/embedding.js';
import { openEmbeddingProvider } from '../../providers/registry.js';
import { testDataset } from '../../testkit/datasets.js';
import { hybridDefinition, HybridModel, type HybridParams } from './hybrid.js';

const ratingsDir = testDataset('ml-latest-small');
const overviewsDir = testDataset('movie-overviews');

describe.skipIf(!ratingsDir || !overviewsDir)('hybrid model on ml-latest-small + TMDB overviews', () => {
  let catalogue: MovieCatalogue;
  let provider: EmbeddingProvider;
  beforeAll(async () => {
    catalogue = await readMovieCatalogue(ratingsDir ?? '', join(overviewsDir ?? '', 'tmdb_5000_movies.csv'));
    const opened = await openEmbeddingProvider('builtin', { cacheDir: join(tmpdir(), 'kindred-test-cache'), logger: silentLogger });
    if (!opened) throw new Error('builtin provider missing');
    provider = opened;
  });

  async function embed(fields: 'title+overview' | 'title+genres+keywords+overview'): Promise<Float32Array[]> {
    return provider.embed(catalogue.table.items.ids().map((_, i) => itemEmbeddingText(movieItem(catalogue, i, fields))));
  }

  it('beats popularity and text alone on the RecBole protocol (warm items)', async () => {
    const vectors = await embed('title+genres+keywords+overview');
    const itemEmbeddings = new Map(catalogue.table.items.ids().map((id, i) => [id, vectors[i]]));
    const res = await runEvaluation({
      data: catalogue.table, protocol: 'recbole', ks: [10], seed: 42, itemEmbeddings,
      models: [{ name: 'popular' }, { name: 'semantic' }, { name: 'hybrid' }],
    });
    const [popular, semantic, hybrid] = res.results.map((r) => r.metrics['ndcg@10']);
    expect(hybrid - popular).toBeGreaterThan(0.05);
    expect(hybrid).toBeGreaterThan(2 * semantic);
  });

  it('gives rarely used films neighbours of their own genre far more often than CF factors alone', async () => {
    // item text without genre words, so genre agreement comes from overviews and co-occurrence only
    const vectors = await embed('title+overview');
    const dims = provider.dimensions;
    const n = catalogue.table.items.size;
    const embeddings = new Float32Array(n * dims);
    vectors.forEach((v, i) => embeddings.set(v, i * dims));
    const data = buildInteractions(catalogue.table, Int32Array.from({ length: catalogue.table.user.length }, (_, r) => r));
    const usersOf = new Int32Array(n);
    for (const i of data.matrix.indices) usersOf[i]++;
    const withGenres = (pred: (users: number) => boolean) => Array.from({ length: n }, (_, i) => i).filter((i) => catalogue.tmdb[i] && pred(usersOf[i]));
    // every other rare film keeps the test quick (each similarItems call is a brute-force search here)
    const rare = withGenres((u) => u <= 3).filter((_, j) => j % 2 === 0);
    const common = withGenres((u) => u >= 50);

    const agreement = async (params: Partial<HybridParams>) => {
      const model = new HybridModel(hybridDefinition.parseParams(params));
      await model.fit(data, { logger: silentLogger, clock: fixedClock(0), seed: 1, content: { embeddings, dimensions: dims } });
      const share = (items: number[]): number => {
        let same = 0;
        let total = 0;
        for (const i of items) {
          const genres = new Set(catalogue.tmdb[i]?.genres);
          for (const s of model.similarItems(i, 10)) {
            const other = catalogue.tmdb[s.index];
            if (!other) continue;
            total++;
            if (other.genres.some((g) => genres.has(g))) same++;
          }
        }
        return same / total;
      };
      return { rare: share(rare), common: share(common) };
    };
    const hybrid = await agreement({});
    const cfOnly = await agreement({ cfWeight: 1, shrinkage: 0 });
    expect(rare.length).toBeGreaterThan(500);
    expect(hybrid.rare).toBeGreaterThan(cfOnly.rare + 0.05);
    // and text does not spoil the neighbours of well-known films
    expect(hybrid.common).toBeGreaterThan(cfOnly.common - 0.02);
  });
});
