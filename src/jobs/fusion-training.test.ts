import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { IdIndex } from '../core/ids.js';
import { silentLogger } from '../core/logger.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { trainBundle } from './trainer.js';
import type { InteractionMatrix } from '../core/interactions.js';
import { CsrMatrix } from '../core/sparse.js';
import { alsDefinition } from '../models/als/als.js';
import { dataShape } from '../models/data-shape.js';
import { resolveParams } from '../models/scaled-defaults.js';
import { channelModels, holdOutItems } from './fusion-training.js';

// u0 has 10 items (0..9), u1 has 4 (too few to lend any), u2 has 5.
const cells: Array<[number, number]> = [
  ...Array.from({ length: 10 }, (_, i): [number, number] => [0, i]),
  [1, 0], [1, 1], [1, 2], [1, 3],
  [2, 5], [2, 6], [2, 7], [2, 8], [2, 9],
];
const data: InteractionMatrix = {
  users: IdIndex.from(['u0', 'u1', 'u2']),
  items: IdIndex.from(Array.from({ length: 10 }, (_, i) => `i${i}`)),
  matrix: CsrMatrix.fromTriplets(3, 10, cells.map((c) => c[0]), cells.map((c) => c[1]), cells.map(() => 1)),
  times: Float64Array.from(cells, (_, k) => k * 1000),
  sequences: [Int32Array.from({ length: 10 }, (_, i) => i), Int32Array.of(0, 1, 2, 3), Int32Array.of(5, 6, 7, 8, 9)],
};

describe('held-out items for learning fusion', () => {
  it('holds out 20 % (at least one) of each user with 5+ items and keeps everything else for fitting', () => {
    const { fit, users } = holdOutItems(data, 0.2, 5, 7);
    expect(users.map((u) => [u.user, u.heldOut.length])).toEqual([[0, 2], [2, 1]]);
    for (const u of users) {
      const kept = new Set(fit.matrix.rowIndices(u.user));
      for (const i of u.heldOut) expect(kept.has(i)).toBe(false);
      expect(kept.size + u.heldOut.length).toBe(data.matrix.rowLength(u.user));
      // The remaining row is in time order (here the same as index order: each user chose items by rising index).
      expect(Array.from(u.row.indices)).toEqual(Array.from(fit.matrix.rowIndices(u.user)));
      expect(Array.from(fit.sequences?.[u.user] ?? [])).toEqual(Array.from(fit.matrix.rowIndices(u.user)));
    }
    expect(Array.from(fit.matrix.rowIndices(1))).toEqual([0, 1, 2, 3]);
    expect(fit.times?.length).toBe(fit.matrix.nnz);
  });

  it('keeps the remaining row in time order, each item at its latest event', () => {
    // One user chose 4, 2, 0, 3, 1 and then 2 again: 2's latest event is last.
    const one: InteractionMatrix = {
      users: IdIndex.from(['u']), items: IdIndex.from(['a', 'b', 'c', 'd', 'e', 'f']),
      matrix: CsrMatrix.fromTriplets(1, 6, [0, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 5], [1, 1, 1, 1, 1, 1]),
      sequences: [Int32Array.of(4, 2, 0, 3, 1, 5, 2)],
    };
    const [u] = holdOutItems(one, 0.2, 5, 3).users;
    const expected = [4, 0, 3, 1, 5, 2].filter((i) => !u.heldOut.includes(i));
    expect(Array.from(u.row.indices)).toEqual(expected);
  });

  it('is the same for the same seed', () => {
    const a = holdOutItems(data, 0.2, 5, 7).users.map((u) => Array.from(u.heldOut));
    expect(holdOutItems(data, 0.2, 5, 7).users.map((u) => Array.from(u.heldOut))).toEqual(a);
  });
});

describe('channel models', () => {
  it('skips the main model and popular', () => {
    const shape = dataShape(data.matrix);
    expect(channelModels({ als: {}, itemknn: {}, popular: {} }, 'itemknn', shape).map((m) => m.name)).toEqual(['als']);
  });

  it('resolves the params the config leaves unset for the data, as the main model does', () => {
    const shape = dataShape(data.matrix);
    const [als] = channelModels({ als: { factors: 8 } }, 'itemknn', shape);
    expect(als.params).toMatchObject({ factors: 8, regularization: resolveParams(alsDefinition, {}, shape).params.regularization });
    const [fixed] = channelModels({ als: { regularization: 0.3 } }, 'itemknn', shape);
    expect(fixed.params).toMatchObject({ regularization: 0.3 });
  });
});

describe('fusion learned at training', () => {
  it('learns a finite ranker on a small store whose choices separate perfectly, and stores it with its channels', async () => {
    // 300 users in two tastes, 5 of 6 films each: the held-out film is always the one the main channel ranks first.
    const store = new MemoryStore();
    await store.upsertItems(Array.from({ length: 6 }, (_, i) => [{ id: `sf${i}` }, { id: `ro${i}` }]).flat());
    const events = [];
    for (let u = 0; u < 300; u++) {
      for (let i = 0; i < 6; i++) {
        if ((u + i) % 6 !== 5) events.push({ userId: `u${u}`, itemId: `${u % 2 === 0 ? 'sf' : 'ro'}${i}`, type: 'rating', value: 5, timestamp: new Date(Date.UTC(2024, 0, 1, 0, u, i)).toISOString() });
      }
    }
    await store.addEvents(events);
    const { bundle } = await trainBundle(store, resolveConfig({ embeddings: { provider: 'none' } }), { model: 'itemknn', params: {} }, { logger: silentLogger, clock: fixedClock(Date.UTC(2024, 1, 1)) });
    expect(Object.keys(bundle.channels ?? {})).toEqual(['als']);
    const fusion = bundle.fusion;
    expect(fusion?.learned.users).toBe(300);
    expect(fusion?.channels).toEqual(['als', 'cf', 'popular']);
    // Newton's steps are searched, so near-separation cannot blow the coefficients up (it once reached 1e11).
    for (const v of [fusion?.bias ?? NaN, ...(fusion?.weights ?? [])]) expect(Math.abs(v)).toBeLessThan(1000);
  });
});
