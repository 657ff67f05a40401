import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { InteractionsBuilder } from '../models/interactions-builder.js';
import { mulberry32 } from '../models/linalg/random.js';
import { SemanticModel, semanticDefinition } from '../models/semantic/semantic.js';
import { queryFloorOf, randomPairSimilarities } from './query-floor.js';
import { queryNotice } from './recommend.js';

/** n random vectors in `dims` dimensions: their pair cosines spread around 0 with sd ~ 1/sqrt(dims). */
async function randomSpace(n: number, dims: number): Promise<SemanticModel> {
  const rand = mulberry32(7);
  const embeddings = Float32Array.from({ length: n * dims }, () => rand() * 2 - 1);
  const model = new SemanticModel(semanticDefinition.parseParams({ center: false }));
  const data = new InteractionsBuilder({ items: Array.from({ length: n }, (_, i) => `i${i}`) }).build();
  await model.fit(data, { logger: silentLogger, clock: fixedClock(0), content: { embeddings, dimensions: dims } });
  return model;
}

describe('query similarity floor', () => {
  it('is a high quantile of random pair cosines, so it follows the space it is in', async () => {
    const narrow = await randomSpace(300, 64);
    const wide = await randomSpace(300, 8);
    const pairs = randomPairSimilarities(narrow, narrow.itemCount);
    expect(pairs.length).toBeGreaterThan(5000);
    expect(Math.abs(pairs.reduce((s, x) => s + x, 0) / pairs.length)).toBeLessThan(0.02);
    const f64 = queryFloorOf(narrow, narrow.itemCount, 0.99);
    const f8 = queryFloorOf(wide, wide.itemCount, 0.99);
    // about 2.3 standard deviations of a random cosine: 2.3 / sqrt(64) and 2.3 / sqrt(8)
    expect(f64).toBeGreaterThan(0.2);
    expect(f64).toBeLessThan(0.4);
    expect(f8).toBeGreaterThan(0.6);
    expect(pairs.filter((x) => x >= f64).length / pairs.length).toBeCloseTo(0.01, 2);
  });

  it('is off at quantile 0 and in a catalogue too small for random pairs to be mostly unrelated', async () => {
    const model = await randomSpace(300, 16);
    expect(queryFloorOf(model, model.itemCount, 0)).toBe(-Infinity);
    const small = await randomSpace(150, 16);
    expect(queryFloorOf(small, small.itemCount, 0.99)).toBe(-Infinity);
  });

  it('says how many items matched, and what the rest are', () => {
    expect(queryNotice(0, false)).toBe('Nothing matched your search well.');
    expect(queryNotice(1, false)).toBe('Only 1 item matched your search well.');
    expect(queryNotice(3, true)).toBe('Only 3 items matched your search well; the others follow your tastes instead.');
  });
});
