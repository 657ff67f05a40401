import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { isEngineError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { FIXTURE_EPOCH_MS, tinyRatings } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { easeDefinition } from '../ease/ease.js';
import { itemKnnDefinition } from '../itemknn/itemknn.js';
import { analyticGaussianSigma } from './mechanisms.js';
import { popularDefinition } from '../popular/popular.js';

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS), seed: 7 };

// the model contract holds for the private variants too (large ε: the checkerboard's known answers survive the noise)
modelConformanceSuite(itemKnnDefinition, { dpEpsilon: 1e4, dpMaxItemsPerUser: 100 });
// EASE: thresholding the noisy pairs keeps the checkerboard's blocks apart (noise alone gives tiny cross-block weights)
modelConformanceSuite(easeDefinition, { dpEpsilon: 1e4, dpMaxItemsPerUser: 100, lambda: 1, dpRidge: 2, dpPairThreshold: 3 });
modelConformanceSuite(popularDefinition, { dpEpsilon: 1e4, dpMechanism: 'laplace' }, { personalised: false });

function configError(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isEngineError(e) ? e.code : 'other';
  }
  return undefined;
}

describe('differentially private popular, itemknn and ease models', () => {
  it('record ε, δ, the mechanism, k and each part\'s sensitivity and noise in the artifact meta, and keep it on restore', async () => {
    const knn = itemKnnDefinition.create(itemKnnDefinition.parseParams({ dpEpsilon: 2, dpMaxItemsPerUser: 2, dpMechanism: 'laplace' }));
    await knn.fit(tinyRatings(), ctx);
    const meta = knn.save().meta.privacy as { epsilon: number; delta: number; mechanism: string; maxItemsPerUser: number; parts: Record<string, { epsilon: number; l1: number; noiseScale: number }> };
    // one release of the Gram upper triangle with all of ε: L1 sensitivity k(k+1)/2 = 3, Laplace scale 3 / 2
    expect(meta).toMatchObject({ epsilon: 2, delta: 0, mechanism: 'laplace', maxItemsPerUser: 2, unit: 'user', bounding: 'scale' });
    expect(meta.parts.gram).toMatchObject({ epsilon: 2, l1: 3, noiseScale: 1.5 });
    expect(itemKnnDefinition.restore(knn.save()).save().meta.privacy).toEqual(meta);
    expect(itemKnnDefinition.restore(knn.save()).save().arrays.dpCounts).toEqual(knn.save().arrays.dpCounts);

    const ease = easeDefinition.create(easeDefinition.parseParams({ dpEpsilon: 4, lambda: 1, dpRidge: 2 }));
    await ease.fit(tinyRatings(), ctx);
    const easeMeta = ease.save().meta.privacy as { parts: Record<string, { epsilon: number; delta: number; l2: number; noiseScale: number }>; lambda: number };
    expect(easeMeta).toMatchObject({ epsilon: 4, delta: 1e-6, mechanism: 'gaussian', maxItemsPerUser: 10, bounding: 'scale' });
    // L2 sensitivity √(10·11/2) = √55; the λ used adds 2 noise scales × √n to the λ asked for
    expect(easeMeta.parts.gram.l2).toBeCloseTo(Math.sqrt(55), 12);
    // scaling bounds the L2 norm only: a heavy user's L1 norm is unbounded, recorded as null (JSON has no Infinity)
    expect(easeMeta.parts.gram).toMatchObject({ l1: null });
    expect(easeMeta.parts.gram.noiseScale).toBeCloseTo(analyticGaussianSigma(4, 1e-6, Math.sqrt(55)), 9);
    const modelled = (ease.save().arrays.items as Int32Array).length;
    expect(modelled).toBeGreaterThan(0);
    expect(easeMeta.lambda).toBeGreaterThanOrEqual(1 + 2 * easeMeta.parts.gram.noiseScale * Math.sqrt(modelled) - 1e-9);
    expect(easeDefinition.restore(ease.save()).save().meta.privacy).toEqual(easeMeta);

    const pop = popularDefinition.create(popularDefinition.parseParams({ dpEpsilon: 1 }));
    await pop.fit(tinyRatings(), ctx);
    expect(pop.save().meta.privacy).toMatchObject({ epsilon: 1, delta: 1e-6, mechanism: 'gaussian', maxItemsPerUser: 50 });
    expect(popularDefinition.restore(pop.save()).save().meta.privacy).toEqual(pop.save().meta.privacy);
  });

  it('restores a private item-kNN saved before the single Gram release (dpCountShare, sampled histories)', async () => {
    const knn = itemKnnDefinition.create(itemKnnDefinition.parseParams({ dpEpsilon: 5, dpBounding: 'sample', dpMaxItemsPerUser: 50 }));
    await knn.fit(tinyRatings(), ctx);
    const saved = knn.save();
    const { dpBounding: _bounding, ...before } = saved.params;
    const old = { ...saved, params: { ...before, dpCountShare: 0.2 } };
    const restored = itemKnnDefinition.restore(old);
    expect(restored.params).toMatchObject({ dpEpsilon: 5, dpBounding: 'sample', dpMaxItemsPerUser: 50 });
    expect(restored.recommend({ user: 0, k: 3 })).toEqual(knn.recommend({ user: 0, k: 3 }));
  });

  it('without dpEpsilon the models are the exact ones and carry no privacy meta', async () => {
    const knn = itemKnnDefinition.create(itemKnnDefinition.parseParams({}));
    await knn.fit(tinyRatings(), ctx);
    expect(knn.save().meta.privacy).toBeUndefined();
    expect(knn.save().arrays.dpCounts).toBeUndefined();
    const ease = easeDefinition.create(easeDefinition.parseParams({}));
    await ease.fit(tinyRatings(), ctx);
    expect(ease.save().meta.privacy).toBeUndefined();
  });

  it('the same seed gives the same private release; the noise changes popularity by the calibrated amount', async () => {
    const fit = async (seed: number): Promise<Float32Array> => {
      const m = popularDefinition.create(popularDefinition.parseParams({ dpEpsilon: 1e6, dpMechanism: 'laplace', dpMaxItemsPerUser: 1 }));
      await m.fit(tinyRatings(), { ...ctx, seed });
      return m.save().arrays.scores as Float32Array;
    };
    expect(await fit(3)).toEqual(await fit(3));
    // k = 1: each of the 3 users counts one item, so the counts sum to 3 (noise scale 1e-6)
    const scores = await fit(3);
    expect(scores.reduce((s, x) => s + x, 0)).toBeCloseTo(3, 3);
  });

  it('rejects dp options without dpEpsilon, and weightings or measures whose sensitivity is not bounded', () => {
    expect(configError(() => itemKnnDefinition.parseParams({ dpMaxItemsPerUser: 20 }))).toBe('INVALID_CONFIG');
    expect(configError(() => itemKnnDefinition.parseParams({ dpBounding: 'sample' }))).toBe('INVALID_CONFIG');
    expect(configError(() => easeDefinition.parseParams({ dpRidge: 5 }))).toBe('INVALID_CONFIG');
    expect(configError(() => easeDefinition.parseParams({ dpEpsilon: 1, dropout: 0.2 }))).toBe('INVALID_CONFIG');
    expect(configError(() => easeDefinition.parseParams({ dpEpsilon: 1, binary: false }))).toBe('INVALID_CONFIG');
    expect(configError(() => easeDefinition.parseParams({ dpEpsilon: 1, dpRidge: 1 }))).toBe('INVALID_CONFIG');
    expect(configError(() => itemKnnDefinition.parseParams({ dpPairThreshold: 1 }))).toBe('INVALID_CONFIG');
    expect(configError(() => itemKnnDefinition.parseParams({ dpEpsilon: 1, weighting: 'bm25' }))).toBe('INVALID_CONFIG');
    expect(configError(() => popularDefinition.parseParams({ dpEpsilon: 1, measure: 'weight' }))).toBe('INVALID_CONFIG');
    expect(configError(() => popularDefinition.parseParams({ dpEpsilon: 1, halfLifeDays: 7 }))).toBe('INVALID_CONFIG');
    expect(configError(() => popularDefinition.parseParams({ dpEpsilon: 0 }))).toBe('INVALID_CONFIG');
  });
});
