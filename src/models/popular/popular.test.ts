import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { FIXTURE_EPOCH_MS, tinyRatings } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { InteractionsBuilder } from '../interactions-builder.js';
import { topK } from '../topk.js';
import { popularDefinition, PopularModel } from './popular.js';

const DAY = 86_400_000;
const ctx = (now = FIXTURE_EPOCH_MS) => ({ logger: silentLogger, clock: fixedClock(now) });

modelConformanceSuite(popularDefinition, {}, { personalised: false });
modelConformanceSuite(popularDefinition, { measure: 'weight', halfLifeDays: 30 }, { personalised: false });

describe('popular', () => {
  it('counts distinct users per item (tinyRatings: i1 2, i2 2, i3 2, i4 1)', async () => {
    const model = new PopularModel(popularDefinition.defaults);
    await model.fit(tinyRatings(), ctx());
    expect([0, 1, 2, 3].map((i) => model.popularity(i))).toEqual([2, 2, 2, 1]);
    // ties go to the lower index
    expect(model.recommend({ user: 0, k: 4 })).toEqual([
      { index: 0, score: 2 }, { index: 1, score: 2 }, { index: 2, score: 2 }, { index: 3, score: 1 },
    ]);
  });

  it('sums weights with measure=weight (i1 3, i2 2, i3 4, i4 2)', async () => {
    const model = new PopularModel(popularDefinition.parseParams({ measure: 'weight', halfLifeDays: 0 }));
    await model.fit(tinyRatings(), ctx());
    expect(model.recommend({ user: 1, k: 2 }).map((s) => [s.index, s.score])).toEqual([[2, 4], [0, 3]]);
  });

  it('halves an interaction per half-life, measured from the fit clock', async () => {
    const b = new InteractionsBuilder();
    const now = FIXTURE_EPOCH_MS + 100 * DAY;
    b.add('u1', 'old', 1, now - 20 * DAY); // two half-lives: 0.25
    b.add('u2', 'old', 1, now - 20 * DAY);
    b.add('u3', 'old', 1, now - 20 * DAY);
    b.add('u1', 'new', 1, now - 10 * DAY); // one half-life: 0.5
    b.add('u2', 'future', 1, now + 5 * DAY); // clock skew: counts 1, never more
    const model = new PopularModel(popularDefinition.parseParams({ measure: 'users', halfLifeDays: 10 }));
    await model.fit(b.build(), ctx(now));
    expect(model.popularity(0)).toBeCloseTo(0.75, 6);
    expect(model.popularity(1)).toBeCloseTo(0.5, 6);
    expect(model.popularity(2)).toBeCloseTo(1, 6);
    expect(model.recommend({ user: 0, k: 3 }).map((s) => s.index)).toEqual([2, 0, 1]);
  });

  it('recalls from its precomputed order exactly what a pass over every item selects (ties, excludes, k past the end)', () => {
    let seed = 99;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const scores = Float32Array.from({ length: 2_000 }, () => (random() < 0.3 ? 0 : Math.floor(random() * 12)));
    const model = new PopularModel(popularDefinition.defaults, scores);
    for (const k of [1, 10, 50, 5_000]) {
      const exclude = Int32Array.from({ length: 40 }, () => Math.floor(random() * scores.length));
      expect(model.recommend({ user: 0, k, exclude })).toEqual(topK(scores, k, { exclude, above: 0 }));
    }
  });

  it('never recommends catalogue items without events in recall mode, but scores them as candidates', async () => {
    const b = new InteractionsBuilder({ items: ['cold', 'hot'] });
    b.add('u1', 'hot', 1, FIXTURE_EPOCH_MS);
    const model = new PopularModel(popularDefinition.defaults);
    await model.fit(b.build(), ctx());
    expect(model.recommend({ user: 0, k: 5 })).toEqual([{ index: 1, score: 1 }]);
    expect(model.recommend({ user: 0, k: 5, candidates: Int32Array.of(0, 1) })).toEqual([{ index: 1, score: 1 }, { index: 0, score: 0 }]);
  });
});
