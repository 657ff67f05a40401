import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import type { InteractionMatrix } from '../../core/interactions.js';
import { silentLogger } from '../../core/logger.js';
import { FIXTURE_EPOCH_MS } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { InteractionsBuilder } from '../interactions-builder.js';
import { mulberry32 } from '../linalg/random.js';
import type { Model } from '../model.js';
import { repeatShare, TransformerModel, transformerDefinition, type TransformerParams } from './transformer.js';
import { trainingWindows } from './train.js';

// Tiny networks so each fit takes well under a second.
const TINY: Partial<TransformerParams> = { width: 16, heads: 2, blocks: 1, maxLength: 8, epochs: 60, batchSize: 8, learningRate: 0.01, dropout: 0.1, negatives: 0 };

modelConformanceSuite(transformerDefinition, TINY, { chronologicalRows: true });
modelConformanceSuite(transformerDefinition, { ...TINY, negatives: 6, blocks: 2 }, { chronologicalRows: true });

const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS), seed: 7 };
const MINUTE = 60_000;

/** Users walking a cycle of n items (item i is always followed by i + 1 mod n), each starting somewhere else. */
function cycles(nItems: number, users: number, length: number): InteractionMatrix {
  const b = new InteractionsBuilder({ items: Array.from({ length: nItems }, (_, i) => `i${i}`) });
  for (let u = 0; u < users; u++) {
    for (let step = 0; step < length; step++) b.add(`u${u}`, `i${(u * 7 + step) % nItems}`, 1, FIXTURE_EPOCH_MS + step * MINUTE);
  }
  return b.build();
}

const history = (...items: number[]) => ({ indices: Int32Array.from(items), values: new Float32Array(items.length).fill(1) });

describe('transformer: known answers', () => {
  it('learns "item i is followed by item i + 1 mod n" (top-1 accuracy 1 over every item)', async () => {
    const n = 20;
    const data = cycles(n, 30, 12);
    // every item a candidate: the model itself must rank the history below the next item (seen items not left out)
    const model = transformerDefinition.create(transformerDefinition.parseParams({ ...TINY, epochs: 40, maskSeen: 'off' }));
    const report = await model.fit(data, ctx);
    expect(report.lastLoss as number).toBeLessThan(report.firstLoss as number);
    let hits = 0;
    for (let i = 0; i < n; i++) {
      // a live history of three steps ending at item i (repeats allowed: the row is read in its given order)
      const top = model.recommend({ user: history((i + n - 2) % n, (i + n - 1) % n, i), k: 1 });
      if (top[0]?.index === data.items.indexOf(`i${(i + 1) % n}`)) hits++;
    }
    expect(hits / n).toBeGreaterThanOrEqual(0.95);
  });

  it('with targetWindow 3 learns the next three items of the cycle as its top 3, the next one first', async () => {
    const n = 20;
    const data = cycles(n, 30, 12);
    const model = transformerDefinition.create(transformerDefinition.parseParams({ ...TINY, epochs: 40, targetWindow: 3, targetDecay: 0.5 }));
    const report = await model.fit(data, ctx);
    // no user meets an item twice, so training left each user's seen items out of the softmax, and lists leave them out
    expect(report.maskSeen).toBe(true);
    const idx = (i: number): number => data.items.indexOf(`i${i % n}`) ?? -1;
    let first = 0;
    let sets = 0;
    for (let i = 0; i < n; i++) {
      const seen = [idx(i + n - 2), idx(i + n - 1), idx(i)];
      const top = model.recommend({ user: history(...seen), k: 3, exclude: Int32Array.from(seen).sort() }).map((s) => s.index);
      if (top[0] === idx(i + 1)) first++;
      if ([1, 2, 3].every((d) => top.includes(idx(i + d)))) sets++;
    }
    expect(first / n).toBeGreaterThanOrEqual(0.9);
    expect(sets / n).toBeGreaterThanOrEqual(0.9);
  });

  it('maskSeen auto: seen items stay in the softmax where users come back to items (over 5 % repeats)', async () => {
    expect(repeatShare([Int32Array.of(1, 2, 1, 3), Int32Array.of(4)])).toBeCloseTo(1 / 5, 12);
    expect(repeatShare([])).toBe(0);
    const laps = cycles(5, 10, 12); // 12 steps round 5 items: 7 of every 12 events are repeats
    const fit = (maskSeen: string): Promise<Record<string, unknown>> =>
      transformerDefinition.create(transformerDefinition.parseParams({ ...TINY, epochs: 2, maskSeen })).fit(laps, ctx);
    expect((await fit('auto')).maskSeen).toBe(false);
    expect((await fit('on')).maskSeen).toBe(true);
    expect((await fit('off')).maskSeen).toBe(false);
    // lists that are known to leave consumed items out (or to show them) decide 'auto' whatever the repeats
    const model = (): Model<TransformerParams> => transformerDefinition.create(transformerDefinition.parseParams({ ...TINY, epochs: 2 }));
    expect((await model().fit(laps, { ...ctx, excludesConsumed: true })).maskSeen).toBe(true);
    expect((await model().fit(cycles(20, 10, 12), { ...ctx, excludesConsumed: false })).maskSeen).toBe(false);
  });

  it('reads a history in its given order: the same items in another order predict another next item', async () => {
    const data = cycles(10, 20, 10);
    // the next item only: with the next-3 loss the history (4, 5, 3) rightly also points at 6 (after 5 and after 3)
    const model = transformerDefinition.create(transformerDefinition.parseParams({ ...TINY, epochs: 40, targetWindow: 1 }));
    await model.fit(data, ctx);
    const idx = (i: number): number => data.items.indexOf(`i${i}`) ?? -1;
    expect(model.recommend({ user: history(idx(3), idx(4), idx(5)), k: 1 })[0].index).toBe(idx(6));
    expect(model.recommend({ user: history(idx(4), idx(5), idx(3)), k: 1 })[0].index).toBe(idx(4));
  });

  it('with patience stops once the held-out loss stops falling, reports it, and still serves the held-out item as input', async () => {
    // random walks with no pattern: a large step memorises them, so the held-out loss turns up early
    const b = new InteractionsBuilder({ items: Array.from({ length: 30 }, (_, i) => `i${i}`) });
    const rand = mulberry32(3);
    const walks = Array.from({ length: 40 }, () => {
      const walk: number[] = [];
      while (walk.length < 8) {
        const item = Math.floor(rand() * 30);
        if (!walk.includes(item)) walk.push(item);
      }
      return walk;
    });
    walks.forEach((walk, u) => walk.forEach((item, step) => b.add(`u${u}`, `i${item}`, 1, FIXTURE_EPOCH_MS + step * MINUTE)));
    const data = b.build();
    const model = new TransformerModel(transformerDefinition.parseParams({ ...TINY, epochs: 300, patience: 2, learningRate: 0.05, dropout: 0 }));
    const report = await model.fit(data, ctx);
    expect(report.epochs as number).toBeLessThan(300);
    expect(report.epochs).toBe((report.bestEpoch as number) + 2);
    expect(report.bestHeldOutLoss).toEqual(expect.any(Number));
    // a trained user's list is read from their whole history, the held-out latest item included
    const whole = history(...walks[0].map((item) => data.items.indexOf(`i${item}`) ?? -1));
    expect(model.recommend({ user: data.users.indexOf('u0') ?? -1, k: 5 })).toEqual(model.recommend({ user: whole, k: 5 }));
  });

  it('cuts sequences into windows from the end, every item but the first a target once', () => {
    const w = trainingWindows([Int32Array.of(1, 2, 3, 4, 5), Int32Array.of(9)], 2);
    expect(w).toEqual([{ user: 0, from: 2, length: 2 }, { user: 0, from: 0, length: 2 }]);
    expect(trainingWindows([Int32Array.of(1, 2, 3, 4)], 2)).toEqual([{ user: 0, from: 1, length: 2 }, { user: 0, from: 0, length: 1 }]);
  });

  it('gives nothing for an empty history, rejects unknown users, and restores its short-term interest vector', async () => {
    const data = cycles(8, 6, 6);
    const model = new TransformerModel(transformerDefinition.parseParams({ ...TINY, epochs: 2 }));
    await model.fit(data, ctx);
    expect(model.recommend({ user: history(), k: 3 })).toEqual([]);
    expect(() => model.recommend({ user: 99, k: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const restored = transformerDefinition.restore(decodeArtifact(encodeArtifact(model.save()))) as TransformerModel;
    expect(restored.interestVector(2)).toEqual(model.interestVector(2));
    expect(model.interestVector(2)?.length).toBe(16);
  });

  it('rejects a width that the heads do not divide, and a damaged artifact', async () => {
    expect(() => transformerDefinition.parseParams({ width: 10, heads: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    const model = transformerDefinition.create(transformerDefinition.parseParams({ ...TINY, epochs: 1 }));
    await model.fit(cycles(8, 4, 5), ctx);
    const artifact = model.save();
    expect(() => transformerDefinition.restore({ ...artifact, arrays: { ...artifact.arrays, weights: new Float32Array(3) } })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
