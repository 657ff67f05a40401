import { describe, expect, it } from 'vitest';
import { cappedPositions } from './category-cap.js';
import { DPP_JITTER, dppOrder } from './dpp.js';
import { mmrOrder, positionalRelevance } from './mmr.js';
import { jaccardMatrix } from './similarity.js';

/** A symmetric n × n similarity matrix from its upper triangle, 1 on the diagonal. */
function matrix(n: number, pairs: Record<string, number>): Float64Array {
  const sim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) sim[i * n + i] = 1;
  for (const [key, s] of Object.entries(pairs)) {
    const [i, j] = key.split('-').map(Number);
    sim[i * n + j] = sim[j * n + i] = s;
  }
  return sim;
}

/** log det of the principal submatrix of L = diag(q) S diag(q) on `set` (Gaussian elimination). */
function logDet(sim: Float64Array, n: number, q: Float64Array, set: number[]): number {
  const m = set.length;
  const a = set.map((i) => set.map((j) => q[i] * sim[i * n + j] * q[j]));
  let logdet = 0;
  for (let c = 0; c < m; c++) {
    if (a[c][c] <= 1e-12) return -Infinity;
    logdet += Math.log(a[c][c]);
    for (let r = c + 1; r < m; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k < m; k++) a[r][k] -= f * a[c][k];
    }
  }
  return logdet;
}

function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first < n; first++) for (const rest of subsets(n, k - 1)) if (rest.every((r) => r > first)) out.push([first, ...rest]);
  return out;
}

describe('MMR', () => {
  // Items 0 and 1 are near copies (0.9), 2 is unlike both, 3 is like 2 (0.8) and a little like 0.
  const sim = matrix(4, { '0-1': 0.9, '0-2': 0.1, '0-3': 0.3, '1-2': 0.1, '1-3': 0.2, '2-3': 0.8 });
  const rel = positionalRelevance(4); // 1, 0.75, 0.5, 0.25

  it('follows the hand-computed order', () => {
    // λ = 0.5. Step 1: 0 (best relevance). Step 2: 1 → 0.375 − 0.45 = −0.075; 2 → 0.25 − 0.05 = 0.2; 3 → 0.125 − 0.15 = −0.025: 2.
    // Step 3: 1 → 0.375 − 0.45 = −0.075; 3 → 0.125 − 0.4 = −0.275: 1. Then 3.
    expect(mmrOrder(sim, rel, 4, 0.5)).toEqual([0, 2, 1, 3]);
  });

  it('keeps the order at strength 0 and stops at k', () => {
    expect(mmrOrder(sim, rel, 4, 0)).toEqual([0, 1, 2, 3]);
    expect(mmrOrder(sim, rel, 2, 0.5)).toEqual([0, 2]);
  });
});

describe('fast greedy DPP', () => {
  it('picks a diverse pair over a similar one', () => {
    const sim = matrix(3, { '0-1': 0.95, '0-2': 0.05, '1-2': 0.05 });
    expect(dppOrder(sim, positionalRelevance(3), 2, 0.5)).toEqual([0, 2]);
  });

  it('keeps the order at strength 0', () => {
    const sim = matrix(3, { '0-1': 0.95 });
    expect(dppOrder(sim, positionalRelevance(3), 3, 0)).toEqual([0, 1, 2]);
  });

  it('reaches the brute-force MAP set on tiny pools', () => {
    // Random PSD kernels (Gram matrices of random 3-d vectors); k = 2 of 5 items.
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5;
      const vecs = Array.from({ length: n }, () => {
        const v = [rand() - 0.5, rand() - 0.5, rand() - 0.5];
        const norm = Math.hypot(...v);
        return v.map((x) => x / norm);
      });
      const sim = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sim[i * n + j] = vecs[i].reduce((s, x, d) => s + x * vecs[j][d], 0);
      const strength = 0.5;
      const rel = positionalRelevance(n);
      const q = rel.map((r) => Math.exp(((1 - strength) / (2 * strength)) * r));
      const greedy = dppOrder(sim, rel, 2, strength);
      // The greedy works on the jittered kernel (S + δI) / (1 + δ); the brute force is judged on the same one.
      const jittered = sim.map((v, at) => (v + (at % (n + 1) === 0 ? DPP_JITTER : 0)) / (1 + DPP_JITTER));
      const logDetOf = (set: number[]) => logDet(jittered, n, q, set);
      const best = Math.max(...subsets(n, 2).map(logDetOf));
      // Greedy is exact for the first pick given the second: with k = 2 it must reach the best pair that contains its
      // first pick, and its log det never exceeds the true MAP.
      const got = logDetOf(greedy);
      expect(got).toBeLessThanOrEqual(best + 1e-9);
      const bestWithFirst = Math.max(...subsets(n, 2).filter((s) => s.includes(greedy[0])).map(logDetOf));
      expect(got).toBeCloseTo(bestWithFirst, 9);
    }
  });

  it('matches brute-force MAP where greedy is exact (one clear best item, then the most different)', () => {
    const sim = matrix(4, { '0-1': 0.9, '0-2': 0.5, '0-3': 0.2, '1-2': 0.4, '1-3': 0.3, '2-3': 0.6 });
    const rel = positionalRelevance(4);
    const q = rel.map((r) => Math.exp(r)); // strength 1/3: α = 1
    const best = subsets(4, 2).reduce((a, b) => (logDet(sim, 4, q, b) > logDet(sim, 4, q, a) ? b : a));
    expect(dppOrder(sim, rel, 2, 1 / 3).slice().sort()).toEqual(best);
  });
});

describe('category cap', () => {
  it('never lets one category exceed the cap', () => {
    const cats = [['drama'], ['drama', 'war'], ['comedy'], ['drama'], ['war'], ['war', 'comedy'], ['comedy'], []];
    const kept = cappedPositions(cats, 2);
    expect(kept).toEqual([0, 1, 2, 4, 6, 7]);
    const counts = new Map<string, number>();
    for (const p of kept) for (const c of cats[p]) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
  });
});

describe('Jaccard similarity', () => {
  it('is 1 on the diagonal and |A∩B| / |A∪B| off it', () => {
    expect(Array.from(jaccardMatrix([['a'], ['a', 'b'], []]).sim)).toEqual([1, 0.5, 0, 0.5, 1, 0, 0, 0, 1]);
  });
});
