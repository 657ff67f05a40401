import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { createRandom } from '../../eval/random.js';
import { fromDense } from '../../testkit/fixtures.js';
import { topK } from '../topk.js';
import { AddedVectorLog } from './added-vectors.js';
import { mergeIntoList, NeighbourLists } from './neighbour-lists.js';
import { semanticDefinition, SemanticModel } from './semantic.js';

/** Items on a line: similarity = -|position difference|, so neighbour orders are easy to compute by hand. */
function lineWorld(positions: Map<number, number>) {
  const similarity = (a: number, b: number) => -Math.abs((positions.get(a) ?? 0) - (positions.get(b) ?? 0));
  const search = (item: number, k: number) => {
    const labels = [...positions.keys()].filter((l) => l !== item);
    return topK(Float64Array.from(labels, (l) => similarity(item, l)), k).map((s) => ({ index: labels[s.index], score: s.score }));
  };
  return { similarity, search };
}

describe('NeighbourLists', () => {
  it('computes a list once and reuses it', () => {
    const positions = new Map([[0, 0], [1, 1], [2, 5], [3, 2]]);
    let searches = 0;
    const world = lineWorld(positions);
    const lists = new NeighbourLists({ ...world, search: (i, k) => (searches++, world.search(i, k)), listSize: 2 });
    expect(Array.from(lists.of(0).labels)).toEqual([1, 3]);
    expect(lists.of(0).complete).toBe(false);
    lists.of(0);
    expect(searches).toBe(1);
  });

  it('with items added later merged in, stays a prefix of a fresh computation over every item', () => {
    const rng = createRandom(5);
    const trained = new Map<number, number>();
    for (let i = 0; i < 30; i++) trained.set(i, rng.next() * 100);
    const lists = new NeighbourLists({ ...lineWorld(trained), listSize: 5 });
    const all = new Map(trained);
    for (let i = 30; i < 45; i++) all.set(i, rng.next() * 100);
    const everything = lineWorld(all);
    let keptTotal = 0;
    for (const item of trained.keys()) {
      const extra = [...all.keys()].filter((i) => i >= 30).map((index) => ({ index, score: everything.similarity(item, index) }));
      const merged = mergeIntoList(lists.of(item), extra, 5);
      keptTotal += merged.labels.length;
      const fresh = everything.search(item, 5);
      // scores of the merged prefix match the fresh order position by position (labels may differ only on ties)
      expect(Array.from(merged.scores)).toEqual(Array.from(Float32Array.from(fresh.slice(0, merged.labels.length), (s) => s.score)));
    }
    // an added item below an incomplete list's last score cannot be placed, but most lists stay full
    expect(keptTotal).toBeGreaterThan(0.8 * 5 * trained.size);
  });
});

describe('semantic model: items added after training', () => {
  it('an added item enters the neighbour lists of trained items, and an added item without text never shows', async () => {
    const content = { embeddings: Float32Array.of(1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9), dimensions: 2 };
    const model = new SemanticModel(semanticDefinition.parseParams({ center: false }));
    await model.fit(fromDense([[1, 0, 0, 0]]), { logger: silentLogger, clock: fixedClock(0), content });
    expect(model.similarItems(0, 1)[0].index).toBe(1); // the trained list of item 0 is kept from here on
    const log = new AddedVectorLog(4, 2);
    log.append(model.itemTextVector(4, new Float32Array(2))); // item 4 has no text
    log.append(model.itemTextVector(5, Float32Array.of(1, 0.01))); // item 5 sits next to item 0
    const served = model.withAddedItems(log.snapshot());
    expect(served.similarItems(0, 2).map((s) => s.index)).toEqual([5, 1]);
    expect(served.recommend({ user: 0, k: 2, exclude: Int32Array.of(0) })[0].index).toBe(5);
    expect(served.recommend({ user: 0, k: 6 }).map((s) => s.index)).not.toContain(4);
    expect(served.similarItems(5, 1)[0].index).toBe(0);
    expect(model.similarItems(0, 1)[0].index).toBe(1);
  });
});
