import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { createModel } from '../models/registry.js';
import { hasSimilarItems, type Model } from '../models/model.js';
import { checkerboard, checkerboardContent } from '../testkit/fixtures.js';
import { factorSpace, textSpace } from './item-space.js';
import { dot } from './spherical-kmeans.js';

const ctx = { logger: silentLogger, clock: fixedClock(0), content: checkerboardContent() };

async function bundleWith(main: string, params: Record<string, unknown> = {}): Promise<{ bundle: ModelBundle; main: Model<object> }> {
  const { data } = checkerboard();
  const model = createModel(main, params);
  await model.fit(data, ctx);
  const popular = createModel('popular', {});
  await popular.fit(data, ctx);
  const bundle: ModelBundle = { version: 1, trainedAt: '2024-01-01T00:00:00.000Z', users: data.users, items: data.items, trainedItems: data.items.size, models: { main: model, popular } };
  return { bundle, main: model };
}

describe('ItemSpace over what the bundle has', () => {
  it.each([['als', { factors: 4, iterations: 5 }], ['bpr', { factors: 4, iterations: 5 }]] as const)(
    'reads %s item factors: unit vectors whose cosines are the model\'s own similar-item scores',
    async (name, params) => {
      const { bundle, main } = await bundleWith(name, params);
      const space = factorSpace(bundle);
      expect(space).toMatchObject({ kind: 'factors', source: name, shared: true });
      if (!space || !hasSimilarItems(main)) throw new Error('expected a factor space and similar items');
      const v0 = space.vector(0);
      expect(v0 && dot(v0, v0)).toBeCloseTo(1, 5);
      for (const s of main.similarItems(0, 3)) expect(dot(v0 ?? new Float32Array(), space.vector(s.index) ?? new Float32Array())).toBeCloseTo(s.score, 4);
      expect(space.vector(bundle.items.size)).toBeUndefined();
      expect(textSpace(bundle)).toBeUndefined();
    },
  );

  it('reads the CF part of hybrid as its factor space, and has none for item-kNN', async () => {
    const { bundle } = await bundleWith('hybrid', { factors: 3 });
    const space = factorSpace(bundle);
    expect(space).toMatchObject({ kind: 'factors', source: 'hybrid', dims: 3 });
    expect(factorSpace((await bundleWith('itemknn')).bundle)).toBeUndefined();
  });

  it('reads the semantic model\'s text vectors', async () => {
    const { bundle, main } = await bundleWith('semantic', { center: false });
    const space = textSpace({ ...bundle, models: { ...bundle.models, semantic: main } });
    expect(space).toMatchObject({ kind: 'text', source: 'semantic', dims: ctx.content.dimensions });
    const v = space?.vector(0);
    expect(v && dot(v, v)).toBeCloseTo(1, 5);
  });
});
