import { describe, expect, it } from 'vitest';
import { isEngineError } from '../core/errors.js';
import { createRandom } from '../eval/random.js';
import { ExactVectorIndex } from './exact-index.js';
import { HnswVectorIndex } from './hnsw-index.js';
import { createVectorIndex, loadVectorIndex, TieredVectorIndex } from './tiered-index.js';

/** `n` vectors around `clusters` random centres (real embeddings are clustered, which is what HNSW relies on). */
function clusteredVectors(n: number, dims: number, clusters: number, seed: number): Float32Array {
  const rng = createRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const centres = Float32Array.from({ length: clusters * dims }, gauss);
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const c = rng.int(clusters);
    for (let j = 0; j < dims; j++) out[i * dims + j] = centres[c * dims + j] + 0.7 * gauss();
  }
  return out;
}

const row = (data: Float32Array, dims: number, i: number) => data.subarray(i * dims, (i + 1) * dims);

describe('ExactVectorIndex', () => {
  it('ranks by cosine with hand-computed scores', () => {
    const ix = new ExactVectorIndex(2, 'cosine');
    ix.add(10, [1, 0]);
    ix.add(11, [0, 2]);
    ix.add(12, [3, 3]);
    const hits = ix.search([1, 0], 3);
    expect(hits.map((h) => h.index)).toEqual([10, 12, 11]);
    expect(hits[0].score).toBeCloseTo(1, 6);
    expect(hits[1].score).toBeCloseTo(Math.SQRT1_2, 6);
    expect(hits[2].score).toBeCloseTo(0, 6);
  });

  it('ranks by inner product when asked (norms matter)', () => {
    const ix = new ExactVectorIndex(2, 'ip');
    ix.add(0, [1, 0]);
    ix.add(1, [3, 3]);
    expect(ix.search([1, 0], 2)).toEqual([{ index: 1, score: 3 }, { index: 0, score: 1 }]);
  });

  it('honours exclude and filter, and replaces a re-added label', () => {
    const ix = new ExactVectorIndex(2, 'cosine');
    for (const [label, v] of [[0, [1, 0]], [1, [0.9, 0.1]], [2, [0.8, 0.2]], [3, [0, 1]]] as const) ix.add(label, v);
    expect(ix.search([1, 0], 2, { exclude: new Set([0]) }).map((h) => h.index)).toEqual([1, 2]);
    expect(ix.search([1, 0], 4, { filter: (l) => l % 2 === 1 }).map((h) => h.index)).toEqual([1, 3]);
    ix.add(3, [1, 0]);
    expect(ix.size).toBe(4);
    expect(ix.search([1, 0], 2).map((h) => h.index)).toEqual([0, 3]);
  });

  it('rejects vectors of the wrong size, non-finite values and bad labels', () => {
    const ix = new ExactVectorIndex(3, 'cosine');
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isEngineError(e) ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => ix.add(0, [1, 2]))).toBe('INVALID_INPUT');
    expect(code(() => ix.add(0, [1, Number.NaN, 2]))).toBe('INVALID_INPUT');
    expect(code(() => ix.add(-1, [1, 2, 3]))).toBe('INVALID_INPUT');
    expect(code(() => ix.search([1], 3))).toBe('INVALID_INPUT');
  });

  it('round-trips through save/load', () => {
    const data = clusteredVectors(300, 8, 5, 1);
    const ix = new ExactVectorIndex(8, 'cosine');
    for (let i = 0; i < 300; i++) ix.add(i * 3, row(data, 8, i));
    const back = loadVectorIndex(ix.save());
    expect(back.kind).toBe('exact');
    const q = row(data, 8, 7);
    expect(back.search(q, 10).map((h) => h.index)).toEqual(ix.search(q, 10).map((h) => h.index));
  });
});

describe('HnswVectorIndex vs exact', () => {
  const n = 3000;
  const dims = 32;
  const data = clusteredVectors(n, dims, 40, 7);
  const exact = new ExactVectorIndex(dims, 'cosine');
  const graph = new HnswVectorIndex(dims, 'cosine', { m: 16, efConstruction: 100, efSearch: 64 });
  for (let i = 0; i < n; i++) {
    exact.add(i, row(data, dims, i));
    graph.add(i, row(data, dims, i)); // grows past its initial capacity of 1024 on the way
  }
  const queries = clusteredVectors(100, dims, 40, 99);

  function recallAt10(ix: { search: ExactVectorIndex['search'] }, opts = {}): number {
    let found = 0;
    for (let q = 0; q < 100; q++) {
      const truth = new Set(exact.search(row(queries, dims, q), 10, opts).map((h) => h.index));
      for (const h of ix.search(row(queries, dims, q), 10, opts)) if (truth.has(h.index)) found++;
    }
    return found / 1000;
  }

  it('agrees with brute force on recall@10 >= 0.95 and on the scores themselves', () => {
    expect(graph.size).toBe(n);
    expect(recallAt10(graph)).toBeGreaterThanOrEqual(0.95);
    const q = row(queries, dims, 0);
    const [a, b] = [exact.search(q, 1)[0], graph.search(q, 1)[0]];
    expect(b.index).toBe(a.index);
    expect(b.score).toBeCloseTo(a.score, 5);
  });

  it('applies exclude and filter inside the graph search', () => {
    const exclude = new Set(Array.from({ length: 500 }, (_, i) => i * 2));
    const opts = { exclude, filter: (l: number) => l % 3 !== 0 };
    expect(recallAt10(graph, opts)).toBeGreaterThanOrEqual(0.95);
    for (const h of graph.search(row(queries, dims, 3), 20, opts)) {
      expect(exclude.has(h.index)).toBe(false);
      expect(h.index % 3).not.toBe(0);
    }
  });

  it('round-trips through save/load and keeps accepting new items', () => {
    const back = HnswVectorIndex.load(graph.save());
    expect(back.size).toBe(n);
    const q = row(queries, dims, 5);
    expect(back.search(q, 10)).toEqual(graph.search(q, 10));
    back.add(n + 50, q);
    expect(back.search(q, 1)[0]).toMatchObject({ index: n + 50 });
    expect(back.search(q, 1)[0].score).toBeCloseTo(1, 5);
  });
});

describe('createVectorIndex', () => {
  it('stays exact below the threshold and switches to HNSW when an add reaches it', () => {
    const data = clusteredVectors(600, 16, 10, 3);
    const ix = createVectorIndex({ dims: 16, metric: 'cosine', exactBelow: 500, hnsw: { efConstruction: 64 } });
    ix.addAll(data.subarray(0, 499 * 16));
    expect(ix.kind).toBe('exact');
    const q = row(data, 16, 42);
    const before = ix.search(q, 5);
    ix.add(499, row(data, 16, 499));
    expect(ix.kind).toBe('hnsw');
    expect(ix.size).toBe(500);
    expect(ix.search(q, 5).map((h) => h.index)).toEqual(before.map((h) => h.index));
    const back = loadVectorIndex(ix.save());
    expect(back).toBeInstanceOf(TieredVectorIndex);
    expect(back.kind).toBe('hnsw');
    expect(back.search(q, 5).map((h) => h.index)).toEqual(before.map((h) => h.index));
  });

  it('builds straight into a graph when a bulk add crosses the threshold, skipping absent rows', () => {
    const data = clusteredVectors(50, 4, 3, 5);
    const present = Uint8Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 0 : 1));
    const ix = createVectorIndex({ dims: 4, metric: 'ip', exactBelow: 10 });
    ix.addAll(data, undefined, present);
    expect(ix.kind).toBe('hnsw');
    expect(ix.size).toBe(40);
    expect(ix.has(5)).toBe(false);
    expect(ix.has(6)).toBe(true);
  });

  it('rejects an unknown metric', () => {
    expect(() => createVectorIndex({ dims: 4, metric: 'l2' as 'ip' })).toThrow(/metric/);
  });
});
