import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { checkerboardContent, FIXTURE_EPOCH_MS } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { InteractionsBuilder } from '../interactions-builder.js';
import { mulberry32 } from '../linalg/random.js';
import { initialiseFromText } from './text-init.js';
import { TransformerModel, transformerDefinition, type TransformerParams } from './transformer.js';

const TINY: Partial<TransformerParams> = { width: 16, heads: 2, blocks: 1, maxLength: 8, epochs: 30, batchSize: 8, learningRate: 0.01, dropout: 0.1, negatives: 0 };

modelConformanceSuite(transformerDefinition, { ...TINY, textInit: true }, { chronologicalRows: true, fitContext: { content: checkerboardContent() } });

const cosine = (a: Float32Array, b: Float32Array): number => {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  return ab / Math.sqrt(aa * bb);
};

/** `n` items' text vectors of width `dims`: even items near axis 0, odd items near axis 1, item `n − 1` without text. */
function twoTopics(n: number, dims: number): Float32Array {
  const rand = mulberry32(5);
  const v = new Float32Array(n * dims);
  for (let i = 0; i < n - 1; i++) {
    for (let c = 0; c < dims; c++) v[i * dims + c] = 0.5 + 0.1 * (rand() - 0.5); // a direction every text shares
    v[i * dims + (i % 2)] += 1;
  }
  return v;
}

describe('initialiseFromText', () => {
  const rowOf = (m: Float32Array, i: number, width: number): Float32Array => m.slice(i * width, (i + 1) * width);

  it('starts items with similar texts close together and unlike texts apart, at the default init\'s scale', () => {
    const [n, dims, width] = [21, 8, 4];
    const emb = Float32Array.from({ length: n * width }, (_, i) => i / 1000);
    const before = Float32Array.from(emb);
    const report = initialiseFromText(emb, width, { embeddings: twoTopics(n, dims), dimensions: dims }, 1);
    expect(report).toMatchObject({ items: n - 1, components: 4 });
    expect(report.varianceKept).toBeGreaterThan(0.9);
    // the shared direction is centred away: same topic cosine near 1, other topic negative
    expect(cosine(rowOf(emb, 0, width), rowOf(emb, 2, width))).toBeGreaterThan(0.9);
    expect(cosine(rowOf(emb, 0, width), rowOf(emb, 1, width))).toBeLessThan(0);
    const meanSquaredNorm = Array.from({ length: n - 1 }, (_, i) => rowOf(emb, i, width).reduce((s, x) => s + x * x, 0)).reduce((s, x) => s + x, 0) / (n - 1);
    expect(meanSquaredNorm).toBeCloseTo(1, 5);
    expect(rowOf(emb, n - 1, width)).toEqual(rowOf(before, n - 1, width)); // no text: its random row stays
  });

  it('fills only as many columns as the text has dimensions, the rest keep their random values', () => {
    const [n, dims, width] = [9, 2, 6];
    const emb = Float32Array.from({ length: n * width }, (_, i) => Math.sin(i));
    const before = Float32Array.from(emb);
    const report = initialiseFromText(emb, width, { embeddings: twoTopics(n, dims), dimensions: dims }, 1);
    expect(report.components).toBe(2);
    for (let i = 0; i < n; i++) for (let c = 2; c < width; c++) expect(emb[i * width + c]).toBe(before[i * width + c]);
    const textPart = Array.from({ length: n - 1 }, (_, i) => emb[i * width] ** 2 + emb[i * width + 1] ** 2).reduce((s, x) => s + x, 0) / (n - 1);
    expect(textPart).toBeCloseTo(2 / 6, 5); // the text's share of a unit row
  });

  it('projects very wide text vectors first (seeded), keeping which items are alike', () => {
    const [n, dims, width] = [11, 400, 4];
    const a = new Float32Array(n * width);
    const b = new Float32Array(n * width);
    initialiseFromText(a, width, { embeddings: twoTopics(n, dims), dimensions: dims }, 3);
    initialiseFromText(b, width, { embeddings: twoTopics(n, dims), dimensions: dims }, 3);
    expect(a).toEqual(b);
    expect(cosine(rowOf(a, 0, width), rowOf(a, 4, width))).toBeGreaterThan(0.6); // 400 noisy dimensions blur it a little
    expect(cosine(rowOf(a, 1, width), rowOf(a, 4, width))).toBeLessThan(0);
  });

  it('changes nothing when fewer than two items have text', () => {
    const emb = Float32Array.of(1, 2, 3, 4);
    expect(initialiseFromText(emb, 2, { embeddings: Float32Array.of(1, 0, 0, 0), dimensions: 2 }, 1).items).toBe(0);
    expect(emb).toEqual(Float32Array.of(1, 2, 3, 4));
  });
});

/**
 * Two topics of 20 items each (a0..a19, b0..b19): each user picks items of one topic at random, so what a history
 * predicts is "more of its topic". Plus one item of each topic (aNew, bNew) nobody has interacted with yet: only their
 * text says what they are about.
 */
function topicWalks(): { builder: InteractionsBuilder; content: { embeddings: Float32Array; dimensions: number } } {
  const perTopic = 20;
  const items = [...Array.from({ length: perTopic }, (_, i) => `a${i}`), ...Array.from({ length: perTopic }, (_, i) => `b${i}`), 'aNew', 'bNew'];
  const builder = new InteractionsBuilder({ items });
  const pick = mulberry32(2);
  for (let u = 0; u < 40; u++) {
    const topic = u % 2 === 0 ? 'a' : 'b';
    for (let step = 0; step < 10; step++) builder.add(`u${u}`, `${topic}${Math.floor(pick() * perTopic)}`, 1, FIXTURE_EPOCH_MS + step * 60_000);
  }
  const rand = mulberry32(11);
  const dims = 6;
  const embeddings = new Float32Array(items.length * dims);
  items.forEach((id, i) => {
    for (let c = 0; c < dims; c++) embeddings[i * dims + c] = 0.1 * rand();
    embeddings[i * dims + (id.startsWith('a') ? 0 : 1)] += 1;
  });
  return { builder, content: { embeddings, dimensions: dims } };
}

describe('transformer with textInit', () => {
  const ctx = { logger: silentLogger, clock: fixedClock(FIXTURE_EPOCH_MS), seed: 3 };
  const live = (...items: number[]) => ({ indices: Int32Array.from(items), values: new Float32Array(items.length).fill(1) });

  it('ranks a new item of the history\'s topic above a new item of the other topic (the text is all it has)', async () => {
    const { builder, content } = topicWalks();
    const data = builder.build();
    const model = new TransformerModel(transformerDefinition.parseParams({ ...TINY, textInit: true }));
    const report = await model.fit(data, { ...ctx, content });
    expect(report).toMatchObject({ textInitItems: 42, placedFromText: 2 });
    const idx = (id: string): number => data.items.indexOf(id) ?? -1;
    const candidates = Int32Array.of(idx('aNew'), idx('bNew'));
    expect(model.recommend({ user: live(idx('a0'), idx('a7'), idx('a3')), k: 2, candidates })[0].index).toBe(idx('aNew'));
    expect(model.recommend({ user: live(idx('b3'), idx('b12'), idx('b5')), k: 2, candidates })[0].index).toBe(idx('bNew'));
  });

  it('is seeded, and saves and loads to the same recommendations; without text vectors it starts random', async () => {
    const { builder, content } = topicWalks();
    const data = builder.build();
    const params = transformerDefinition.parseParams({ ...TINY, epochs: 3, textInit: true });
    const [one, two] = [new TransformerModel(params), new TransformerModel(params)];
    await one.fit(data, { ...ctx, content });
    await two.fit(data, { ...ctx, content });
    const restored = transformerDefinition.restore(decodeArtifact(encodeArtifact(one.save())));
    expect(restored.params.textInit).toBe(true);
    for (let u = 0; u < 4; u++) {
      expect(two.recommend({ user: u, k: 5 })).toEqual(one.recommend({ user: u, k: 5 }));
      expect(restored.recommend({ user: u, k: 5 })).toEqual(one.recommend({ user: u, k: 5 }));
    }
    const plain = new TransformerModel(params);
    expect((await plain.fit(data, ctx)).textInitItems).toBe(0);
  });
});
