import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { FIXTURE_EPOCH_MS } from '../../testkit/fixtures.js';
import { evaluateTopK, type Holdout } from '../../testkit/quick-eval.js';
import { dataShape } from '../data-shape.js';
import { InteractionsBuilder } from '../interactions-builder.js';
import { mulberry32 } from '../linalg/random.js';
import { popularDefinition } from '../popular/popular.js';
import { resolveParams, searchSpaceFor } from '../scaled-defaults.js';
import { alsDefinition, type AlsModel } from './als.js';
import { alsDefaultRegularization } from './default-regularization.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS), seed: 3, threads: 1 };

/**
 * A sparse, clustered log on a catalogue much wider than a user's history: 6,000 users, 3,000 items in 30 taste
 * clusters of 100; each user takes 8 distinct items, nine in ten from their cluster, the rest by global Zipf
 * popularity, and the last one is held out. Density 0.0027, the regime of a shop log rather than of MovieLens.
 */
function sparseClusteredLog(): Holdout {
  const users = 6_000;
  const items = 3_000;
  const clusterSize = 100;
  const rand = mulberry32(11);
  const zipf: number[] = [];
  let total = 0;
  for (let r = 0; r < items; r++) zipf.push((total += 1 / (r + 1)));
  const popular = (): number => {
    const target = rand() * total;
    let i = 0;
    while (zipf[i] < target) i++;
    return i;
  };
  const builder = new InteractionsBuilder({ items: Array.from({ length: items }, (_, i) => `i${i}`), capacity: users * 8 });
  const test: Int32Array[] = [];
  for (let u = 0; u < users; u++) {
    const cluster = u % (items / clusterSize);
    const taken = new Set<number>();
    while (taken.size < 8) taken.add(rand() < 0.9 ? cluster * clusterSize + Math.floor(rand() * clusterSize) : popular());
    const history = [...taken];
    history.slice(0, -1).forEach((i, step) => builder.add(`u${u}`, `i${i}`, 1, FIXTURE_EPOCH_MS + step * 60_000));
    test.push(Int32Array.of(history[history.length - 1]));
  }
  return { train: builder.build(), test };
}

describe('ALS default regularisation', () => {
  it('keeps 0.02 on ml-100k and falls with density, in proportion to 1 + alpha', () => {
    // ml-100k's RecBole train split (seed 42), where the old fixed default 0.02 validated best
    const ml100k = { users: 939, items: 1016, density: 0.0683 };
    expect(alsDefaultRegularization(ml100k, 1)).toBe(0.02);
    expect(alsDefaultRegularization(ml100k, 3)).toBe(0.04);
    // the 100k-item synthetic log's train split: about a hundred times below the fixed default
    expect(alsDefaultRegularization({ users: 100_000, items: 99_000, density: 0.00041 }, 1)).toBeLessThan(0.001);
  });

  it('is the scaled default unless set explicitly or fitted privately', () => {
    const shape = dataShape(sparseClusteredLog().train.matrix);
    const resolved = resolveParams(alsDefinition, {}, shape);
    expect(resolved.sources.regularization).toBe('scaled');
    expect(resolved.params.regularization).toBe(alsDefaultRegularization(shape, 1));
    expect(resolveParams(alsDefinition, { alpha: 4 }, shape).params.regularization).toBe(alsDefaultRegularization(shape, 4));
    expect(resolveParams(alsDefinition, { regularization: 0.05 }, shape).sources.regularization).toBe('explicit');
    const privateFit = resolveParams(alsDefinition, { dpEpsilon: 1 }, shape);
    expect(privateFit.sources.regularization).toBe('default');
  });

  it('is searched around the scaled default: the old fixed range on ml-100k, far below it on a sparse log', () => {
    const ml100k = { users: 939, items: 1016, density: 0.0683, interactions: 65_165, meanItemCount: 64, interactionItemCount: 150, interactionItemWeight: 150, meanUserCount: 69 };
    expect(searchSpaceFor(alsDefinition, ml100k).regularization).toEqual({ type: 'float', min: 0.001, max: 0.3, log: true });
    const sparse = { users: 100_000, items: 99_000, density: 0.00041, interactions: 4_059_000, meanItemCount: 41, interactionItemCount: 90, interactionItemWeight: 90, meanUserCount: 41 };
    const space = searchSpaceFor(alsDefinition, sparse).regularization;
    const scaled = alsDefaultRegularization(sparse, 1);
    // the fixed range (0.001–0.3) held no λ within 6x of this default; the data's range is centred on it
    expect(space).toMatchObject({ type: 'float', log: true });
    if (space.type !== 'float') throw new Error('a float range');
    expect(space.min).toBeLessThan(scaled / 10);
    expect(space.max).toBeGreaterThan(scaled * 10);
    expect(scaled * 6).toBeLessThan(0.001);
    // the other ranges stay the model's own
    expect(searchSpaceFor(alsDefinition, sparse).factors).toEqual(alsDefinition.searchSpace.factors);
  });

  // Regression (issue 15): with the fixed λ 0.02 on sparse data every factor decayed to zero, so all scores tied
  // and ALS ranked no better than popularity (worse: ties fall in index order).
  it('learns the clusters of a sparse log where the fixed default collapsed every factor to zero', async () => {
    const holdout = sparseClusteredLog();
    const shape = dataShape(holdout.train.matrix);
    const small = { factors: 32, iterations: 10 };

    const fixed = alsDefinition.create(alsDefinition.parseParams({ ...small, regularization: 0.02 })) as AlsModel;
    await fixed.fit(holdout.train, ctx);
    const collapsed = fixed.itemFactorTable().factors.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(collapsed).toBeLessThan(1e-6);

    const scaled = alsDefinition.create(alsDefinition.parseParams(resolveParams(alsDefinition, small, shape).params));
    await scaled.fit(holdout.train, ctx);
    const popular = popularDefinition.create(popularDefinition.parseParams({}));
    await popular.fit(holdout.train, ctx);
    const als = evaluateTopK(scaled, holdout, 10);
    const pop = evaluateTopK(popular, holdout, 10);
    // a user's cluster holds 100 items, about 6 of them already seen: ranking within it gives a hit rate near 0.1
    expect(als.hitRate).toBeGreaterThan(0.06);
    expect(als.hitRate).toBeGreaterThan(2 * pop.hitRate);
  }, 60_000);
});
