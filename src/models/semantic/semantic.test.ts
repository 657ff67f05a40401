import { AddedVectorLog } from './added-vectors.js';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { checkerboardContent, fromDense } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import type { FitContext, ItemContent } from '../model.js';
import { semanticDefinition, SemanticModel } from './semantic.js';
import { blendQueryVector, hasTextVectors, recommendForTextQuery } from './text-query.js';

modelConformanceSuite(semanticDefinition, {}, { fitContext: { content: checkerboardContent() } });
// the same contract with the HNSW index answering every search, and with the mean-vector profile
modelConformanceSuite(semanticDefinition, { exactBelow: 0 }, { fitContext: { content: checkerboardContent() } });
modelConformanceSuite(semanticDefinition, { aggregate: 'mean' }, { fitContext: { content: checkerboardContent() } });

const ctx = (content: ItemContent): FitContext => ({ logger: silentLogger, clock: fixedClock(0), content });

/** Four items on the unit circle: 0 at 0°, 1 at 30°, 2 at 90°, 3 at 180°. */
function circle(): ItemContent {
  const deg = [0, 30, 90, 180].map((d) => (d * Math.PI) / 180);
  return { embeddings: Float32Array.from(deg.flatMap((a) => [Math.cos(a), Math.sin(a)])), dimensions: 2 };
}

async function fittedCircle(params: Partial<typeof semanticDefinition.defaults> = {}): Promise<SemanticModel> {
  // user 0 consumed item 0 (weight 1); user 1 consumed item 2 (weight 3) then item 0 (weight 1)
  const model = new SemanticModel(semanticDefinition.parseParams({ center: false, ...params }));
  await model.fit(fromDense([[1, 0, 0, 0], [1, 0, 3, 0]]), ctx(circle()));
  return model;
}

describe('semantic model, hand-computed', () => {
  it('scores items by cosine with a one-item history', async () => {
    const model = await fittedCircle();
    const list = model.recommend({ user: 0, k: 4 });
    expect(list.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(list.map((s) => s.score)).toEqual([1, Math.cos(Math.PI / 6), 0, -1].map((x) => expect.closeTo(x, 5)));
  });

  it('in mean mode, weights history items by their interaction weight', async () => {
    const model = await fittedCircle({ aggregate: 'mean' });
    // user 1 = 1*(1,0) + 3*(0,1): angle atan(3) = 71.6°, so item 2 (90°) beats item 1 (30°)
    const u = model.userVector({ indices: Int32Array.of(0, 2), values: Float32Array.of(1, 3) });
    expect(u[0]).toBeCloseTo(1 / Math.sqrt(10), 5);
    expect(u[1]).toBeCloseTo(3 / Math.sqrt(10), 5);
    const list = model.recommend({ user: 1, k: 2, exclude: Int32Array.of(0, 2) });
    expect(list[0]).toEqual({ index: 1, score: expect.closeTo(Math.cos(Math.atan(3) - Math.PI / 6), 5) });
  });

  it('halves an item\'s pull for every recencyHalfLife positions it lies back in the history', async () => {
    const model = await fittedCircle({ recencyHalfLife: 1 });
    // history oldest first: item 2 (weight 1, one position back -> 0.5), then item 0 (weight 1)
    const u = model.userVector({ indices: Int32Array.of(2, 0), values: Float32Array.of(1, 1) });
    expect(u[1] / u[0]).toBeCloseTo(0.5, 5);
  });

  it('in max mode, scores an item by its closest history item, so separate interests stay separate', async () => {
    const model = await fittedCircle();
    // history at 0° and 180° (their mean is ~zero), yet item 1, 30° from item 0, scores cos 30°
    const history = { indices: Int32Array.of(0, 3), values: Float32Array.of(1, 1) };
    const list = model.recommend({ user: history, k: 2, exclude: Int32Array.of(0, 3) });
    expect(list[0]).toEqual({ index: 1, score: expect.closeTo(Math.cos(Math.PI / 6), 5) });
    expect(list[1]).toEqual({ index: 2, score: expect.closeTo(0, 5) });
  });

  it('in max mode, recalls from the index exactly what scoring every candidate gives', async () => {
    const model = await fittedCircle({ recencyHalfLife: 1 });
    const history = { indices: Int32Array.of(2, 0), values: Float32Array.of(1, 1) };
    const all = Int32Array.of(0, 1, 2, 3);
    expect(model.recommend({ user: history, k: 3 })).toEqual(model.recommend({ user: history, k: 3, candidates: all }));
    // item 2 lies one position back: its pull is halved, so item 1 (near item 0) outranks item 2's own neighbourhood
    expect(model.recommend({ user: history, k: 2, exclude: Int32Array.of(0, 2) })[0]).toEqual({ index: 1, score: expect.closeTo(Math.cos(Math.PI / 6), 5) });
  });

  it('uses only the most recent historyLimit items', async () => {
    const model = await fittedCircle({ historyLimit: 1 });
    const history = { indices: Int32Array.of(3, 0), values: Float32Array.of(1, 1) };
    expect(model.recommend({ user: history, k: 4 }).map((s) => s.index)).toEqual([0, 1, 2, 3]);
  });

  it('explains a recommendation by the history items closest to it (mean: weighted by history share)', async () => {
    const history = { indices: Int32Array.of(0, 2), values: Float32Array.of(1, 1) };
    const mean = await fittedCircle({ aggregate: 'mean' });
    const why = mean.explain(history, 1);
    expect(why.map((c) => c.item)).toEqual([0, 2]);
    expect(why[0].weight).toBeCloseTo(0.5 * Math.cos(Math.PI / 6), 5);
    expect(why[1].weight).toBeCloseTo(0.5 * Math.cos(Math.PI / 3), 5);
    const max = await fittedCircle();
    expect(max.explain(history, 1).map((c) => c.weight)).toEqual([Math.cos(Math.PI / 6), Math.cos(Math.PI / 3)].map((x) => expect.closeTo(x, 5)));
  });

  it('finds similar items by text alone, including items without any interaction', async () => {
    const model = await fittedCircle();
    expect(model.similarItems(3, 3).map((s) => s.index)).toEqual([2, 1, 0]);
  });

  it('subtracts the catalogue mean when center is on', async () => {
    // two near-duplicate directions plus a shared offset: centring makes items 0 and 1 opposite
    const content = { embeddings: Float32Array.of(1, 0.1, 1, -0.1), dimensions: 2 };
    const plain = new SemanticModel(semanticDefinition.parseParams({ center: false }));
    const centred = new SemanticModel(semanticDefinition.parseParams({ center: true }));
    await plain.fit(fromDense([[1, 0]]), ctx(content));
    await centred.fit(fromDense([[1, 0]]), ctx(content));
    expect(plain.recommend({ user: 0, k: 2, exclude: Int32Array.of(0) })[0].score).toBeGreaterThan(0.9);
    expect(centred.recommend({ user: 0, k: 2, exclude: Int32Array.of(0) })[0].score).toBeCloseTo(-1, 5);
  });

  it('rejects a fit without item embeddings', async () => {
    const model = new SemanticModel(semanticDefinition.defaults);
    await expect(model.fit(fromDense([[1]]), { logger: silentLogger, clock: fixedClock(0) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('semantic model, text queries and cold-start items', () => {
  it('offers the TextVectors capability', async () => {
    expect(hasTextVectors(await fittedCircle())).toBe(true);
  });

  it('answers a text query vector, blended with the user when asked', async () => {
    const model = await fittedCircle();
    const query = Float32Array.of(Math.cos(Math.PI / 3), Math.sin(Math.PI / 3)); // 60°
    expect(recommendForTextQuery(model, { query, k: 1 })[0].index).toBe(1); // 30° and 90° tie at 30° off; the lower index wins
    const history = { indices: Int32Array.of(3), values: Float32Array.of(1) };
    const blended = recommendForTextQuery(model, { query, history, alpha: 0.3, k: 1, exclude: Int32Array.of(3) });
    expect(blended[0].index).toBe(2); // pulled towards 180° by the user
  });

  it('blends unit vectors: alpha 1 is the query alone, an empty user leaves the query', () => {
    const q = Float32Array.of(2, 0);
    const u = Float32Array.of(0, 5);
    expect(Array.from(blendQueryVector(q, u, 1))).toEqual([1, 0]);
    expect(Array.from(blendQueryVector(q, new Float32Array(2), 0.5))).toEqual([1, 0]);
    const half = blendQueryVector(q, u, 0.5);
    expect(half[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(half[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('recommends an item added after training at once in a new model, leaving the trained one and its saved form unchanged', async () => {
    const model = await fittedCircle();
    const before = model.recommend({ user: 0, k: 2 });
    const log = new AddedVectorLog(4, 2);
    const empty = model.withAddedItems(log.snapshot());
    log.append(model.itemTextVector(4, Float32Array.of(Math.cos(0.1), Math.sin(0.1))));
    const served = model.withAddedItems(log.snapshot());
    expect(served.itemCount).toBe(5);
    expect(served.recommend({ user: 0, k: 1, exclude: Int32Array.of(0) })[0].index).toBe(4);
    expect(served.similarItems(0, 1)[0].index).toBe(4);
    // the trained model and a state taken before the append do not see the added item
    expect(model.itemCount).toBe(4);
    expect(empty.itemCount).toBe(4);
    expect(model.recommend({ user: 0, k: 2 })).toEqual(before);
    expect(empty.similarItems(0, 3).map((s) => s.index)).not.toContain(4);
    const restored = semanticDefinition.restore(decodeArtifact(encodeArtifact(served.save())));
    expect(restored.recommend({ user: 0, k: 2 })).toEqual(before);
  });
});
