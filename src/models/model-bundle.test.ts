import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { IdIndex } from '../core/ids.js';
import type { InteractionMatrix } from '../core/interactions.js';
import { silentLogger } from '../core/logger.js';
import { CsrMatrix } from '../core/sparse.js';
import { createModel } from '../models/registry.js';
import { featureNames } from '../pipeline/fusion/features.js';
import type { FusionRanker } from '../pipeline/fusion/ranker.js';
import { decodeArtifact, encodeArtifact } from './artifact.js';
import type { TypedArray } from './model.js';
import { decodeBundle, encodeBundle, MODEL_ROLES } from './model-bundle.js';

// Three users over four items: u0 {0,1}, u1 {1,2}, u2 {2,3}.
const data: InteractionMatrix = {
  users: IdIndex.from(['u0', 'u1', 'u2']),
  items: IdIndex.from(['a', 'b', 'c', 'd']),
  matrix: CsrMatrix.fromTriplets(3, 4, [0, 0, 1, 1, 2, 2], [0, 1, 1, 2, 2, 3], [1, 1, 1, 1, 1, 1]),
};

async function fitted(name: string) {
  const model = createModel(name, {});
  await model.fit(data, { logger: silentLogger, clock: fixedClock(0) });
  return model;
}

describe('model bundle encoding', () => {
  it('decodes a bundle written without channels or a fusion ranker (as every bundle before them was)', async () => {
    const bytes = encodeBundle({ trainedAt: '2026-01-01T00:00:00.000Z', users: data.users, items: data.items, models: { main: await fitted('itemknn'), popular: await fitted('popular') } });
    const bundle = decodeBundle(bytes, 3);
    expect(bundle.channels).toBeUndefined();
    expect(bundle.fusion).toBeUndefined();
    expect(bundle.models.main.name).toBe('itemknn');
  });

  it('round-trips extra channel models and the fusion ranker', async () => {
    const features = featureNames(['cf', 'userknn']);
    const fusion: FusionRanker = {
      channels: ['cf', 'userknn'], features, mean: features.map((_, i) => i / 10), scale: features.map(() => 2), weights: features.map((_, i) => i - 3), bias: -1.5,
      learned: { users: 3, rows: 9, positives: 2, l2: 0.001, iterations: 7 },
    };
    const userknn = await fitted('userknn');
    const bytes = encodeBundle({
      trainedAt: '2026-01-01T00:00:00.000Z', users: data.users, items: data.items,
      models: { main: await fitted('itemknn'), popular: await fitted('popular') }, channels: { userknn }, fusion,
    });
    const bundle = decodeBundle(bytes, 4);
    expect(bundle.fusion).toEqual(fusion);
    expect(Object.keys(bundle.channels ?? {})).toEqual(['userknn']);
    const row = { indices: Int32Array.of(0), values: Float32Array.of(1) };
    expect(bundle.channels?.userknn.recommend({ user: row, k: 3 })).toEqual(userknn.recommend({ user: row, k: 3 }));
  });

  it('stores the training matrix its models share once, and every model reads it back', async () => {
    const main = await fitted('itemknn');
    const als = await fitted('als');
    const bytes = encodeBundle({ trainedAt: '2026-01-01T00:00:00.000Z', users: data.users, items: data.items, models: { main, popular: await fitted('popular') }, channels: { als } });
    const stored = decodeArtifact(bytes);
    // the ALS channel adds its factors, not a second copy of the user-item matrix
    expect(Object.keys(stored.arrays).filter((k) => k.endsWith('/userIndices'))).toEqual(['main/userIndices']);
    expect(Object.keys(stored.arrays)).toContain('channel:als/itemFactors');
    expect((stored.meta.shared as Record<string, string>)['channel:als/userIndices']).toBe('main/userIndices');
    const bundle = decodeBundle(bytes, 5);
    const row = { indices: Int32Array.of(1), values: Float32Array.of(1) };
    expect(bundle.channels?.als.recommend({ user: 0, k: 3 })).toEqual(als.recommend({ user: 0, k: 3 }));
    expect(bundle.models.main.recommend({ user: row, k: 3 })).toEqual(main.recommend({ user: row, k: 3 }));
  });

  it('decodes a bundle stored before roles were open: the artifact written as the earlier encoder wrote it', async () => {
    // The earlier encoder by hand: one "bundle" artifact, meta { trainedAt, users, items, models: [{ role, name, params,
    // meta }] }, each model's arrays under "<role>/<key>". Kept literal so a change of the wire format fails here.
    const main = await fitted('itemknn');
    const popular = await fitted('popular');
    const arrays: Record<string, TypedArray> = {};
    const models = [['main', main], ['popular', popular]].map(([role, model]) => {
      const a = (model as typeof main).save();
      for (const [k, v] of Object.entries(a.arrays)) arrays[`${role as string}/${k}`] = v;
      return { role, name: a.name, params: a.params, meta: a.meta };
    });
    const meta = { trainedAt: '2025-06-01T00:00:00.000Z', users: ['u0', 'u1', 'u2'], items: ['a', 'b', 'c', 'd'], models };
    const bundle = decodeBundle(encodeArtifact({ name: 'bundle', params: {}, meta, arrays }), 7);
    expect(bundle).toMatchObject({ version: 7, trainedAt: '2025-06-01T00:00:00.000Z', trainedItems: 4 });
    expect(bundle.items.ids()).toEqual(['a', 'b', 'c', 'd']);
    const row = { indices: Int32Array.of(0), values: Float32Array.of(1) };
    expect(bundle.models.main.recommend({ user: row, k: 3 })).toEqual(main.recommend({ user: row, k: 3 }));
    expect(bundle.models[MODEL_ROLES.popular]?.name).toBe('popular');
  });

  it('keeps a role it has no name for (roles are open)', async () => {
    const bytes = encodeBundle({
      trainedAt: '2026-01-01T00:00:00.000Z', users: data.users, items: data.items,
      models: { main: await fitted('itemknn'), popular: await fitted('popular'), 'reranker-v2': await fitted('userknn') },
    });
    expect(decodeBundle(bytes, 1).models['reranker-v2']?.name).toBe('userknn');
  });
});
