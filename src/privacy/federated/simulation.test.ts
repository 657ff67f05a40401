import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../../core/sparse.js';
import { accuracyMetrics } from '../../eval/metrics/evaluate.js';
import { mulberry32 } from '../../models/linalg/random.js';
import { itemSideMetrics, simulateFederatedAls, type FederatedSimulationOptions } from './simulation.js';

/**
 * Three tastes over 30 items (items 10g..10g+9 belong to taste g), with 60, 30 and 15 users: each user consumed 6 of
 * their taste's items and 1 item at random; one more of their taste's items is held out. Popularity ranks the first
 * taste's items for everyone, so it misses the other tastes' held-out items.
 */
function tastes(): { train: CsrMatrix; test: CsrMatrix } {
  const rand = mulberry32(17);
  const rows: number[] = [];
  const cols: number[] = [];
  const testRows: number[] = [];
  const testCols: number[] = [];
  let user = 0;
  [60, 30, 15].forEach((count, g) => {
    for (let n = 0; n < count; n++, user++) {
      const order = Array.from({ length: 10 }, (_, i) => 10 * g + i).sort(() => rand() - 0.5);
      const consumed = order.slice(0, 6);
      const stray = Math.floor(rand() * 30);
      if (!order.slice(0, 7).includes(stray)) consumed.push(stray);
      for (const i of consumed) {
        rows.push(user);
        cols.push(i);
      }
      testRows.push(user);
      testCols.push(order[6]);
    }
  });
  const ones = (n: number): Float32Array => new Float32Array(n).fill(1);
  return { train: CsrMatrix.fromTriplets(user, 30, rows, cols, ones(rows.length)), test: CsrMatrix.fromTriplets(user, 30, testRows, testCols, ones(testRows.length)) };
}

describe('federated ALS simulation', () => {
  const { train, test } = tastes();
  const users = Int32Array.from({ length: train.rows }, (_, u) => u);
  const scoring = { users, history: train, exclude: (u: number) => train.rowIndices(u), truth: test, ks: [5] };
  const base: FederatedSimulationOptions = {
    factors: 4, regularization: 0.01, alpha: 2, optimizer: 'adam', learningRate: 0.05, clientFraction: 0.5, noiseMultiplier: 0, seed: 5,
    rounds: 80, evaluateEvery: 1, evaluate: (side) => itemSideMetrics(side, scoring)['ndcg@5'],
  };

  const counts = new Float64Array(30);
  for (const i of train.indices) counts[i]++;
  const byCount = Array.from({ length: 30 }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  const popularLists = Array.from(users, (u) => Int32Array.from(byCount.filter((i) => !train.rowIndices(u).includes(i)).slice(0, 5)));
  const popularity = accuracyMetrics({ users, lists: popularLists, truth: test }, [5])['ndcg@5'];

  it('learns the tastes from devices\' updates alone and ranks far better than popularity', async () => {
    const report = await simulateFederatedAls(train, base);
    expect(report.rounds.length).toBe(80);
    expect(report.rounds.every((r) => r.clients === 53)).toBe(true); // round(0.5 · 105)
    expect(report.bytesPerClientPerRound).toBe(30 * 4 * 4);
    const curve = report.curve.map((p) => p.value);
    expect(report.curve.map((p) => p.round)).toEqual(Array.from({ length: 80 }, (_, r) => r + 1));
    // popularity serves the first taste well and the others not at all; within a taste the best possible is ≈ 0.64
    expect(popularity).toBeLessThan(0.45);
    expect(curve[79]).toBeGreaterThan(popularity + 0.2);
    expect(curve[0]).toBeLessThan(popularity);
    // deterministic for a seed
    const again = await simulateFederatedAls(train, { ...base, rounds: 20, evaluateEvery: 20 });
    expect(again.curve[0].value).toBe(curve[19]);
  });

  it('still learns them with every update clipped and noised', async () => {
    const report = await simulateFederatedAls(train, { ...base, clipNorm: 0.5, noiseMultiplier: 0.1 });
    expect(report.curve[report.curve.length - 1].value).toBeGreaterThan(popularity + 0.2);
  });
});
