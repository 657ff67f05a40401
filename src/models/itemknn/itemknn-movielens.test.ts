import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { testDataset } from '../../testkit/datasets.js';
import { evaluateTopK, movieLens100kHoldout } from '../../testkit/quick-eval.js';
import { popularDefinition } from '../popular/popular.js';
import { itemKnnDefinition, ItemKnnModel } from './itemknn.js';

const ml100k = testDataset('ml-100k');
const ctx = { logger: silentLogger, clock: fixedClock(Date.UTC(1998, 5, 1)) };

describe('itemknn on MovieLens 100K', () => {
  it.skipIf(!ml100k)('beats popularity on a per-user random holdout (NDCG@10), for every weighting', async () => {
    const holdout = movieLens100kHoldout(ml100k!, { seed: 7 });
    const popular = popularDefinition.create(popularDefinition.defaults);
    await popular.fit(holdout.train, ctx);
    const baseline = evaluateTopK(popular, holdout, 10);
    for (const weighting of ['cosine', 'tfidf', 'bm25'] as const) {
      const model = itemKnnDefinition.create(itemKnnDefinition.parseParams({ weighting }));
      await model.fit(holdout.train, ctx);
      const quality = evaluateTopK(model, holdout, 10);
      expect(quality.users).toBe(943);
      expect(quality.ndcg, weighting).toBeGreaterThan(baseline.ndcg * 1.15);
      expect(quality.hitRate, weighting).toBeGreaterThan(baseline.hitRate);
    }
  });

  it.skipIf(!ml100k)('ranks better pruning per scored item (RecBole) than per history item (implicit)', async () => {
    const holdout = movieLens100kHoldout(ml100k!, { seed: 7 });
    const ndcg = async (prune: 'history' | 'scored'): Promise<number> => {
      const model = itemKnnDefinition.create(itemKnnDefinition.parseParams({ prune }));
      await model.fit(holdout.train, ctx);
      return evaluateTopK(model, holdout, 10).ndcg;
    };
    // measured: 0.394 vs 0.345 at 100 neighbours, cosine
    expect(await ndcg('scored')).toBeGreaterThan((await ndcg('history')) * 1.08);
  });

  it.skipIf(!ml100k)('finds Star Wars-like films for Star Wars (1977)', async () => {
    const { train } = movieLens100kHoldout(ml100k!, { fraction: 0, minRatings: Infinity });
    const model = new ItemKnnModel(itemKnnDefinition.defaults);
    await model.fit(train, ctx);
    const top5 = model.similarItems(train.items.indexOf('50')!, 5).map((s) => train.items.idAt(s.index));
    // The Empire Strikes Back, Return of the Jedi, Raiders of the Lost Ark
    expect(top5).toEqual(expect.arrayContaining(['172', '181', '174']));
  });
});
