import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { FIXTURE_EPOCH_MS, tinyRatings } from '../../testkit/fixtures.js';
import { itemKnnDefinition, ItemKnnModel, type ItemKnnParams } from './itemknn.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS) };

async function fitTiny(params: Partial<ItemKnnParams>): Promise<ItemKnnModel> {
  const model = new ItemKnnModel(itemKnnDefinition.parseParams(params));
  await model.fit(tinyRatings(), ctx);
  return model;
}

// tinyRatings, items as columns: i1 = (2, 1, 0), i2 = (1, 0, 1), i3 = (0, 3, 1), i4 = (0, 0, 2) over users u1..u3.
// Cosine: s12 = 2/√10 ≈ .632, s13 = 3/√50 ≈ .424, s23 = 1/√20 ≈ .224, s24 = 1/√2 ≈ .707, s34 = 1/√10 ≈ .316, s14 = 0.
// With neighbors 1 each item keeps one: i1 → i2, i2 → i4, i3 → i1, i4 → i2.
const s13 = 3 / Math.sqrt(50);
const s24 = 1 / Math.sqrt(2);
const s34 = 1 / Math.sqrt(10);

describe('itemknn prune: scored (RecBole: a candidate counts only history items among its own neighbours)', () => {
  it('is the default', () => {
    expect(itemKnnDefinition.defaults.prune).toBe('scored');
  });

  it('scores j by Σ w(i) sim(j, i) over history items i in j\'s list (u1 = {i1: 2, i2: 1}, neighbors 1)', async () => {
    const m = await fitTiny({ neighbors: 1, prune: 'scored' });
    // i3 keeps i1 (in u1's history): 2 · s13; i4 keeps i2: 1 · s24. Under 'history' i3 is unreachable (neither i1
    // nor i2 keeps i3), which the 'history' test in itemknn.test.ts checks.
    expect(m.recommend({ user: 0, k: 5, exclude: Int32Array.of(0, 1) })).toEqual([
      { index: 2, score: expect.closeTo(2 * s13, 6) },
      { index: 3, score: expect.closeTo(s24, 6) },
    ]);
  });

  it('drops a pair that only the history item keeps: a user of i3 alone reaches nothing', async () => {
    const onlyI3 = { indices: Int32Array.of(2), values: Float32Array.of(1) };
    const history = await fitTiny({ neighbors: 1, prune: 'history' });
    expect(history.recommend({ user: onlyI3, k: 5, exclude: Int32Array.of(2) })).toEqual([{ index: 0, score: expect.closeTo(s13, 6) }]);
    // i3 keeps i1, but i1 keeps i2: under 'scored' no candidate lists i3 among its neighbours
    const scored = await fitTiny({ neighbors: 1, prune: 'scored' });
    expect(scored.recommend({ user: onlyI3, k: 5, exclude: Int32Array.of(2) })).toEqual([]);
    expect(scored.recommend({ user: onlyI3, k: 2, candidates: Int32Array.of(0, 3) }).map((s) => s.score)).toEqual([0, 0]);
  });

  it('normalize divides by the similarities that reached j (u1, neighbors 2: i3 → 2, i4 → 1)', async () => {
    // neighbors 2: i3 keeps {i1, i4}, i4 keeps {i2, i3}; u1 reaches i3 through i1 only and i4 through i2 only
    const m = await fitTiny({ neighbors: 2, prune: 'scored', normalize: true });
    expect(m.recommend({ user: 0, k: 5, exclude: Int32Array.of(0, 1) })).toEqual([
      { index: 2, score: expect.closeTo(2, 5) },
      { index: 3, score: expect.closeTo(1, 5) },
    ]);
  });

  it('explains with the same pairs it scores, and the contributions add up to the score', async () => {
    const m = await fitTiny({ neighbors: 2, prune: 'scored' });
    // u3 = {i2: 1, i3: 1, i4: 2}; i1 keeps {i2, i3}: score = s12 + s13 (i4 is not among i1's neighbours)
    const why = m.explain(2, 0);
    expect(why).toEqual([{ item: 1, weight: expect.closeTo(2 / Math.sqrt(10), 6) }, { item: 2, weight: expect.closeTo(s13, 6) }]);
    const score = m.recommend({ user: 2, k: 1, candidates: Int32Array.of(0) })[0].score;
    expect(why.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(score, 5);
    // u2 = {i1: 1, i3: 3}; i4 keeps {i2, i3}: only i3 counts, 3 · s34
    expect(m.explain(1, 3)).toEqual([{ item: 2, weight: expect.closeTo(3 * s34, 6) }]);
  });

  it('leaves similar-item lists unchanged', async () => {
    const scored = await fitTiny({ neighbors: 2, prune: 'scored' });
    const history = await fitTiny({ neighbors: 2, prune: 'history' });
    for (let i = 0; i < 4; i++) expect(scored.similarItems(i, 5)).toEqual(history.similarItems(i, 5));
  });

  it('restores as saved; artifacts from before the param existed keep scoring per history item', async () => {
    const m = await fitTiny({ neighbors: 1, prune: 'scored' });
    const artifact = m.save();
    const restored = itemKnnDefinition.restore(artifact);
    expect(restored.params.prune).toBe('scored');
    expect(restored.recommend({ user: 0, k: 5, exclude: Int32Array.of(0, 1) })).toEqual(m.recommend({ user: 0, k: 5, exclude: Int32Array.of(0, 1) }));
    const legacyParams: Record<string, unknown> = { ...artifact.params };
    delete legacyParams.prune;
    const legacy = itemKnnDefinition.restore({ ...artifact, params: legacyParams });
    expect(legacy.params.prune).toBe('history');
    expect(legacy.recommend({ user: 0, k: 5, exclude: Int32Array.of(0, 1) })).toEqual([{ index: 3, score: expect.closeTo(s24, 6) }]);
  });

  it('rejects an unknown pruning', () => {
    expect(() => itemKnnDefinition.parseParams({ prune: 'both' })).toThrow(/prune/);
  });
});
