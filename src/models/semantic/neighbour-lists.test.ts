import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { createRandom } from '../../eval/random.js';
import { fromDense } from '../../testkit/fixtures.js';
import { topK } from '../topk.js';
import { NeighbourLists } from './neighbour-lists.js';
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

  it('stays equal to a fresh computation (as a prefix) through random additions, moves and removals', () => {
    const rng = createRandom(5);
    const positions = new Map<number, number>();
    for (let i = 0; i < 30; i++) positions.set(i, rng.next() * 100);
    const world = lineWorld(positions);
    const lists = new NeighbourLists({ ...world, listSize: 5 });
    for (let i = 0; i < 30; i++) lists.of(i);
    for (let step = 0; step < 60; step++) {
      const item = rng.int(40);
      if (rng.next() < 0.2) positions.delete(item);
      else positions.set(item, rng.next() * 100);
      lists.itemChanged(item, positions.has(item));
    }
    let keptTotal = 0;
    for (const item of positions.keys()) {
      const kept = lists.of(item);
      keptTotal += kept.labels.length;
      const fresh = world.search(item, 5);
      // scores of a kept prefix match the fresh order position by position (labels may differ only on ties)
      expect(Array.from(kept.scores)).toEqual(Array.from(Float32Array.from(fresh.slice(0, kept.labels.length), (s) => s.score)));
      for (const label of kept.labels) expect(positions.has(label)).toBe(true);
    }
    // removals shorten some lists, but patching keeps most of them full
    expect(keptTotal).toBeGreaterThan(0.8 * 5 * positions.size);
  });
});

describe('semantic model: items changing after training', () => {
  it('never returns an item whose vector was removed, and finds a moved item in its new place', async () => {
    const content = { embeddings: Float32Array.of(1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9), dimensions: 2 };
    const model = new SemanticModel(semanticDefinition.parseParams({ center: false }));
    await model.fit(fromDense([[1, 0, 0, 0]]), { logger: silentLogger, clock: fixedClock(0), content });
    expect(model.similarItems(0, 1)[0].index).toBe(1);
    model.upsertItemText(1, new Float32Array(2)); // item 1 loses its text
    expect(model.similarItems(0, 3).map((s) => s.index)).toEqual([3, 2]);
    expect(model.recommend({ user: 0, k: 4 }).map((s) => s.index)).not.toContain(1);
    model.upsertItemText(2, Float32Array.of(1, 0.01)); // item 2 moves next to item 0
    expect(model.similarItems(0, 1)[0].index).toBe(2);
    expect(model.recommend({ user: 0, k: 2, exclude: Int32Array.of(0) })[0].index).toBe(2);
  });
});
