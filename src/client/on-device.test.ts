import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { silentLogger } from '../core/logger.js';
import type { Engine } from '../engine-types.js';
import { importDataset } from '../ingest/importer.js';
import { encodeArray, SNAPSHOT_FORMAT, type AlsSnapshot, type BprSnapshot, type ItemKnnSnapshot } from '../privacy/on-device/snapshot-format.js';
import { testDataset } from '../testkit/datasets.js';
import { engineOnStore } from '../testkit/engine-on-store.js';
import { parseSnapshot, SnapshotError, type LocalHistoryEntry } from './on-device.js';

const base = { format: SNAPSHOT_FORMAT, version: 3, trainedAt: '2026-01-01T00:00:00.000Z' };

describe('on-device scoring, hand-checked', () => {
  it('als: folds a history in exactly and scores x·y', () => {
    // one factor, items y = (1, 2): YᵀY = 5; history {item 0: weight 1}, α = 1, λ = 0.1
    // A = 5 + 0.1·(2 items + 1 in history) + α·1·1·1 = 6.3, b = (1 + α·1)·1 = 2, x = 2 / 6.3; item 1 scores 2x
    const snap: AlsSnapshot = { ...base, model: 'als', items: ['a', 'b'], factors: 1, stride: 1, alpha: 1, regularization: 0.1, itemFactors: encodeArray(Float32Array.of(1, 2)), itemGram: encodeArray(Float32Array.of(5)) };
    const got = parseSnapshot(JSON.parse(JSON.stringify(snap))).recommend([{ itemId: 'a' }, { itemId: 'unknown' }], 5);
    expect(got.map((r) => r.itemId)).toEqual(['b']);
    expect(got[0].score).toBeCloseTo((2 * 2) / 6.3, 6);
  });

  it('itemknn: sums weight × kept similarity, excludes consumed items, keeps only reached ones', () => {
    // row i = the items history item i adds score to: 0 → {1: 0.5, 2: 0.25}, 1 → {2: 1}, 2 and 3 → nothing
    const rows = { indptr: Int32Array.of(0, 2, 3, 3, 3), indices: Int32Array.of(1, 2, 2), data: Float32Array.of(0.5, 0.25, 1) };
    const snap = (normalize: boolean): ItemKnnSnapshot => ({ ...base, model: 'itemknn', items: ['a', 'b', 'c', 'd'], normalize, indptr: encodeArray(rows.indptr), indices: encodeArray(rows.indices), data: encodeArray(rows.data) });
    const history: LocalHistoryEntry[] = [{ itemId: 'a', weight: 1 }, { itemId: 'b' }, { itemId: 'a', weight: 1 }]; // a twice: weight 2
    // c: 2·0.25 + 1·1 = 1.5; normalised by 0.25 + 1: 1.2; a and b are consumed; d is never reached
    expect(parseSnapshot(snap(false)).recommend(history, 10)).toEqual([{ itemId: 'c', score: 1.5 }]);
    expect(parseSnapshot(snap(true)).recommend(history, 10)[0].score).toBeCloseTo(1.2, 6);
    expect(parseSnapshot(snap(false)).recommend([{ itemId: 'a' }], 10)).toEqual([{ itemId: 'b', score: 0.5 }, { itemId: 'c', score: 0.25 }]);
  });

  it('bpr: biases alone rank an empty history; one seeded SGD step folds a history in', () => {
    const snap: BprSnapshot = { ...base, model: 'bpr', items: ['a', 'b', 'c'], factors: 1, stride: 1, learningRate: 0.05, regularization: 0.01, epochs: 5, seed: 1, itemFactors: encodeArray(Float32Array.of(1, -1, 2)), itemBias: encodeArray(Float32Array.of(0.5, 0.25, -1)) };
    expect(parseSnapshot(snap).recommend([], 3)).toEqual([{ itemId: 'a', score: 0.5 }, { itemId: 'b', score: 0.25 }, { itemId: 'c', score: -1 }]);
    // two items, history {a}, one epoch: one SGD step with i = a, j = b (the only item outside the history), from x = 0:
    // z = σ(−0) = 0.5, x = 0.05 · (0.5 · (y_a − y_b) − 0.01 · 0) = 0.05 · (0.5 · 2) = 0.05; b scores 0.25 + 0.05 · (−1)
    const two: BprSnapshot = { ...snap, items: ['a', 'b'], epochs: 1, itemFactors: encodeArray(Float32Array.of(1, -1)), itemBias: encodeArray(Float32Array.of(0.5, 0.25)) };
    const got = parseSnapshot(two).recommend([{ itemId: 'a', weight: 9 }], 3);
    expect(got.map((r) => r.itemId)).toEqual(['b']);
    expect(got[0].score).toBeCloseTo(0.2, 6);
  });

  it('refuses what is not a snapshot', () => {
    expect(() => parseSnapshot({ format: 'other' })).toThrow(SnapshotError);
    expect(() => parseSnapshot({ ...base, model: 'ease', items: [] })).toThrow(/not supported/);
    const short: AlsSnapshot = { ...base, model: 'als', items: ['a', 'b'], factors: 1, stride: 1, alpha: 1, regularization: 0.1, itemFactors: encodeArray(Float32Array.of(1)), itemGram: encodeArray(Float32Array.of(5)) };
    expect(() => parseSnapshot(short)).toThrow(/itemFactors holds 1 values, expected 2/);
    const outOfRange: ItemKnnSnapshot = { ...base, model: 'itemknn', items: ['a'], normalize: false, indptr: encodeArray(Int32Array.of(0, 1)), indices: encodeArray(Int32Array.of(5)), data: encodeArray(Float32Array.of(1)) };
    expect(() => parseSnapshot(outOfRange)).toThrow(/out of range/);
  });
});

const ml = testDataset('ml-100k');

/** Deterministic pick of `n` distinct users (a small LCG, so the 100 users are the same on every run). */
function pickUsers(all: string[], n: number, seed: number): string[] {
  const pool = [...all].sort();
  let s = seed >>> 0;
  for (let i = pool.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

describe.skipIf(!ml)('on-device scoring equals server scoring on ml-100k', () => {
  let engine: Engine;
  const histories = new Map<string, LocalHistoryEntry[]>();

  beforeAll(async () => {
    const config = resolveConfig({ store: { url: 'sqlite://:memory:' }, embeddings: { provider: 'none' }, train: { channels: {} } });
    const opened = await engineOnStore(config, { logger: silentLogger });
    engine = opened.engine;
    await importDataset(opened.store, { path: ml as string, format: 'movielens-100k', onError: 'abort' });
    // the device's history: the user's ratings as weights (any weights do; both sides get the same ones)
    for (const line of readFileSync(join(ml as string, 'u.data'), 'utf8').split('\n')) {
      const [user, itemId, rating] = line.split('\t');
      if (!rating) continue;
      const h = histories.get(user) ?? [];
      h.push({ itemId, weight: Number(rating) });
      histories.set(user, h);
    }
  }, 120_000);
  afterAll(() => engine?.close());

  it.each([
    ['als', { factors: 32, iterations: 8, seed: 7 }],
    ['bpr', { factors: 32, iterations: 10, seed: 7 }],
    ['itemknn', {}], // the default main model
  ])('%s: the same top-10, in the same order, for 100 random users', async (model, params) => {
    await engine.train({ model, params });
    // over the wire: what a browser gets from GET /v1/models/snapshot
    const scorer = parseSnapshot(JSON.parse(JSON.stringify(engine.modelSnapshot())));
    expect(scorer.model).toBe(model);
    const users = pickUsers([...histories.keys()], 100, 12);
    for (const user of users) {
      // a partial history too (a device that kept only some of its events): a fold-in the server never trained on
      const full = histories.get(user) ?? [];
      for (const history of [full, full.filter((_, i) => i % 3 === 0)]) {
        const device = scorer.recommend(history, 10);
        const server = engine.scoreHistory(history, 10);
        expect(device.length).toBe(10);
        expect(device, `user ${user}`).toEqual(server);
      }
    }
  }, 120_000);
});
