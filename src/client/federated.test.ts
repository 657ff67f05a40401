import { describe, expect, it } from 'vitest';
import type { SparseRow } from '../core/sparse.js';
import { foldInUser, type ItemSide } from '../models/als/fold-in.js';
import { alsUserLoss } from '../models/als/item-gradient.js';
import { mulberry32 } from '../models/linalg/random.js';
import { encodeArray, SNAPSHOT_FORMAT } from '../privacy/on-device/snapshot-format.js';
import { clipToNorm, federatedUpdate, federatedUpdateOfRow, recommendFromRound, type FederatedRound } from './federated.js';
import { parseSnapshot } from './on-device.js';

function gramOf(y: Float32Array, stride: number): Float32Array {
  const g = new Float32Array(stride * stride);
  for (let a = 0; a < stride; a++) {
    for (let b = 0; b < stride; b++) {
      let s = 0;
      for (let i = 0; i < y.length / stride; i++) s += y[i * stride + a] * y[i * stride + b];
      g[a * stride + b] = s;
    }
  }
  return g;
}

/** A round over `items` items with random factors (first `factors` of `stride` columns), seeded. */
function randomRound(items: number, factors: number, stride: number, seed: number, extra: Partial<FederatedRound> = {}): FederatedRound {
  const rand = mulberry32(seed);
  const y = new Float32Array(items * stride);
  for (let i = 0; i < items; i++) for (let a = 0; a < factors; a++) y[i * stride + a] = rand() - 0.5;
  return {
    round: 0, items: Array.from({ length: items }, (_, i) => `i${i}`), factors, stride, alpha: 2, regularization: 0.1,
    itemFactors: y, itemGram: gramOf(y, stride), noiseMultiplier: 0, ...extra,
  };
}

const sideOf = (m: FederatedRound): ItemSide => ({ itemFactors: m.itemFactors, itemGram: m.itemGram, stride: m.stride, alpha: m.alpha, regularization: m.regularization });
/** The user's loss share at the best user vector: what the update is the gradient of. */
const lossAt = (m: FederatedRound, row: SparseRow): number => alsUserLoss(row, sideOf(m), foldInUser(row, sideOf(m)), m.factors);

describe('federated update, device side', () => {
  it('hand-checked on one factor: history rows pull toward 1, the others toward 0', () => {
    // y = (1, 2), history {a: 1}, α = 1, λ = 0.1: x = 2 / 6.3 (as in the on-device test)
    const y = Float32Array.of(1, 2);
    const round: FederatedRound = { round: 4, items: ['a', 'b'], factors: 1, stride: 1, alpha: 1, regularization: 0.1, itemFactors: y, itemGram: Float32Array.of(5), noiseMultiplier: 0 };
    const x = Math.fround(2 / 6.3);
    const update = federatedUpdate(round, [{ itemId: 'a' }, { itemId: 'not-in-round' }]);
    expect(update.round).toBe(4);
    // a (touched): −2·c·(1 − x·y)·x + 2λy with c = 2;  b (untouched): 2·(x·y)·x
    expect(update.gradient[0]).toBeCloseTo(-2 * 2 * (1 - x) * x + 2 * 0.1 * 1, 6);
    expect(update.gradient[1]).toBeCloseTo(2 * (2 * x) * x, 6);
  });

  it('equals a finite-difference gradient of the user\'s loss share (fold-in re-solved at every point)', () => {
    const base = randomRound(7, 3, 8, 11);
    const row: SparseRow = { indices: Int32Array.of(1, 4, 5), values: Float32Array.of(1, 3, 0.5) };
    const g = federatedUpdateOfRow(base, row).gradient;
    expect(g.length).toBe(7 * 3);
    let checked = 0;
    for (let i = 0; i < 7; i++) {
      for (let a = 0; a < 3; a++) {
        const at = (h: number): { loss: number; step: number } => {
          const y = base.itemFactors.slice();
          y[i * 8 + a] = Math.fround(y[i * 8 + a] + h);
          const m = { ...base, itemFactors: y, itemGram: gramOf(y, 8) };
          return { loss: lossAt(m, row), step: y[i * 8 + a] - base.itemFactors[i * 8 + a] };
        };
        const plus = at(1e-3);
        const minus = at(-1e-3);
        const numeric = (plus.loss - minus.loss) / (plus.step - minus.step);
        expect(Math.abs(g[i * 3 + a] - numeric)).toBeLessThan(2e-4 * Math.max(1, Math.abs(numeric)));
        checked++;
      }
    }
    expect(checked).toBe(21);
    // every item gets a gradient, touched or not: the update is dense by nature
    for (let i = 0; i < 7; i++) expect(Math.hypot(g[i * 3], g[i * 3 + 1], g[i * 3 + 2])).toBeGreaterThan(0);
  });

  it('clipping bounds the L2 norm and keeps the direction', () => {
    const rand = mulberry32(3);
    for (let t = 0; t < 50; t++) {
      const v = Float64Array.from({ length: 40 }, () => (rand() - 0.5) * 10 * t);
      const before = v.slice();
      const norm = clipToNorm(v, 1.5);
      const after = Math.hypot(...v);
      expect(after).toBeLessThanOrEqual(1.5 * (1 + 1e-12));
      if (norm <= 1.5) expect(v).toEqual(before);
      else for (let a = 0; a < v.length; a++) expect(v[a]).toBeCloseTo((before[a] * 1.5) / norm, 12);
    }
    const round = randomRound(50, 4, 8, 5);
    const row: SparseRow = { indices: Int32Array.of(0, 3, 9, 20, 31, 44), values: new Float32Array(6).fill(5) };
    const raw = federatedUpdateOfRow(round, row).gradient;
    expect(Math.hypot(...raw)).toBeGreaterThan(0.5);
    const clipped = federatedUpdateOfRow({ ...round, clipNorm: 0.5 }, row).gradient;
    expect(Math.hypot(...clipped)).toBeCloseTo(0.5, 5);
  });

  it('adds Gaussian noise of standard deviation σ·C to every coordinate', () => {
    const round = randomRound(2000, 8, 8, 9, { clipNorm: 0.2, noiseMultiplier: 1.5 });
    const row: SparseRow = { indices: Int32Array.of(2, 7), values: Float32Array.of(1, 1) };
    const clean = federatedUpdateOfRow({ ...round, noiseMultiplier: 0 }, row).gradient;
    const noisy = federatedUpdateOfRow(round, row, { random: mulberry32(1) }).gradient;
    let sum = 0;
    let sq = 0;
    for (let a = 0; a < clean.length; a++) {
      const d = noisy[a] - clean[a];
      sum += d;
      sq += d * d;
    }
    const n = clean.length;
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.sqrt(sq / n)).toBeCloseTo(0.3, 2); // σ·C = 1.5 · 0.2, over 16,000 draws
    // the default source is the platform's cryptographic generator: two updates differ
    const a = federatedUpdateOfRow(round, row).gradient;
    const b = federatedUpdateOfRow(round, row).gradient;
    expect(a).not.toEqual(b);
  });

  it('ranks with the same user vector as kindred/on-device given the same factors', () => {
    const round = randomRound(40, 5, 8, 13);
    const snapshot = {
      format: SNAPSHOT_FORMAT, version: 1, trainedAt: '2026-01-01T00:00:00.000Z', model: 'als', items: [...round.items], factors: 5, stride: 8,
      alpha: round.alpha, regularization: round.regularization, itemFactors: encodeArray(round.itemFactors), itemGram: encodeArray(round.itemGram),
    };
    const history = [{ itemId: 'i3' }, { itemId: 'i17', weight: 2 }, { itemId: 'i30' }];
    const mine = recommendFromRound(round, history, 8);
    expect(mine.length).toBe(8);
    expect(mine.some((r) => ['i3', 'i17', 'i30'].includes(r.itemId))).toBe(false);
    expect(mine).toEqual(parseSnapshot(snapshot).recommend(history, 8));
  });

  it('refuses noise without a clipping bound and rounds that do not add up', () => {
    const round = randomRound(3, 2, 8, 1);
    const row: SparseRow = { indices: Int32Array.of(0), values: Float32Array.of(1) };
    expect(() => federatedUpdateOfRow({ ...round, noiseMultiplier: 1 }, row)).toThrow(/clipNorm/);
    expect(() => federatedUpdateOfRow({ ...round, clipNorm: 0 }, row)).toThrow(/clipNorm/);
    expect(() => federatedUpdateOfRow({ ...round, itemGram: new Float32Array(4) }, row)).toThrow(/dimensions/);
  });
});

/**
 * What a server can read from one update. Untouched rows are 2(x·y_i)x, all parallel to the user vector x; history
 * rows add 2λy_i. So a noiseless update, dense or not, clipped or not, names the history: the rows that are not
 * parallel to the update's main direction.
 */
function rowsOffMainDirection(g: Float32Array, items: number, f: number, count: number): number[] {
  let d = Float64Array.from({ length: f }, (_, a) => 1 + a);
  for (let it = 0; it < 100; it++) {
    const next = new Float64Array(f);
    for (let i = 0; i < items; i++) {
      let s = 0;
      for (let a = 0; a < f; a++) s += g[i * f + a] * d[a];
      for (let a = 0; a < f; a++) next[a] += s * g[i * f + a];
    }
    const norm = Math.hypot(...next);
    d = next.map((v) => v / norm);
  }
  const off = Array.from({ length: items }, (_, i) => {
    let s = 0;
    let sq = 0;
    for (let a = 0; a < f; a++) {
      s += g[i * f + a] * d[a];
      sq += g[i * f + a] ** 2;
    }
    return { i, residual: Math.sqrt(Math.max(0, sq - s * s)) };
  });
  return off.sort((a, b) => b.residual - a.residual).slice(0, count).map((o) => o.i).sort((a, b) => a - b);
}

describe('what an update reveals (docs/privacy.md, Federated learning)', () => {
  const round = randomRound(300, 8, 8, 21, { clipNorm: 1 });
  const history = [4, 17, 60, 61, 150, 222, 299];
  const row: SparseRow = { indices: Int32Array.from(history), values: new Float32Array(history.length).fill(1) };

  it('a clipped but noiseless dense update gives the history away exactly', () => {
    const g = federatedUpdateOfRow(round, row).gradient;
    expect(rowsOffMainDirection(g, 300, 8, history.length)).toEqual(history);
  });

  it('with noise σ = 1 the same reading finds next to none of it', () => {
    const g = federatedUpdateOfRow({ ...round, noiseMultiplier: 1 }, row, { random: mulberry32(5) }).gradient;
    const found = rowsOffMainDirection(g, 300, 8, history.length).filter((i) => history.includes(i));
    expect(found.length).toBeLessThanOrEqual(2);
  });
});
