import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { testDataset } from '../../testkit/datasets.js';
import { checkerboard, FIXTURE_EPOCH_MS, userRow } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { evaluateTopK, movieLens100kHoldout } from '../../testkit/quick-eval.js';
import { popularDefinition } from '../popular/popular.js';
import { bprDefinition, type BprModel } from './bpr.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS), seed: 3 };

modelConformanceSuite(bprDefinition, { factors: 16, iterations: 200 });

describe('BPR on the checkerboard', () => {
  it('raises the likelihood, ranks withheld items first and is reproducible', async () => {
    const board = checkerboard({ blocks: 4, usersPerBlock: 10, itemsPerBlock: 5 });
    const fit = async (): Promise<BprModel> => {
      const m = bprDefinition.create(bprDefinition.parseParams({ factors: 8, iterations: 300 })) as BprModel;
      const report = await m.fit(board.data, ctx);
      const ll = report.logLikelihoods as number[];
      expect(ll[ll.length - 1]).toBeGreaterThan(ll[0]);
      return m;
    };
    const [a, b] = [await fit(), await fit()];
    expect(b.save().arrays.itemFactors).toEqual(a.save().arrays.itemFactors);
    for (let u = 0; u < board.data.users.size; u++) {
      const exclude = board.data.matrix.rowIndices(u).slice();
      expect(a.recommend({ user: u, k: 1, exclude })[0].index).toBe(board.withheld[u]);
      // fold-in with items fixed lands on the same answer
      expect(a.recommend({ user: userRow(board.data, u), k: 1, exclude })[0].index).toBe(board.withheld[u]);
    }
  });
});

const ml100k = testDataset('ml-100k');

describe('BPR on MovieLens 100K', () => {
  it.skipIf(!ml100k)('beats popularity, single-threaded and Hogwild on two threads', async () => {
    const holdout = movieLens100kHoldout(ml100k!, { seed: 5 });
    const popular = popularDefinition.create(popularDefinition.parseParams({}));
    await popular.fit(holdout.train, ctx);
    const p = evaluateTopK(popular, holdout, 10);
    for (const hogwild of [false, true]) {
      const bpr = bprDefinition.create(bprDefinition.parseParams({ iterations: 15, hogwild }));
      await bpr.fit(holdout.train, { ...ctx, threads: 2 });
      expect(evaluateTopK(bpr, holdout, 10).ndcg, `hogwild ${hogwild}`).toBeGreaterThan(p.ndcg * 1.3);
    }
  });
});
