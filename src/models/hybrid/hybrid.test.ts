import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { CsrMatrix } from '../../core/sparse.js';
import { createRandom } from '../../eval/random.js';
import { checkerboard, checkerboardContent, fromDense } from '../../testkit/fixtures.js';
import { modelConformanceSuite } from '../../testkit/model-conformance.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import type { FitContext, ItemContent } from '../model.js';
import { hasTextVectors } from '../semantic/text-query.js';
import { AddedVectorLog } from '../semantic/added-vectors.js';
import { hybridDefinition, HybridModel } from './hybrid.js';
import { cfSide, hybridVector } from './hybrid-vectors.js';
import { truncatedItemFactors } from './randomized-svd.js';
import { symmetricEigen } from './symmetric-eigen.js';

modelConformanceSuite(hybridDefinition, { factors: 8 }, { fitContext: { content: checkerboardContent() } });

describe('symmetricEigen', () => {
  it('finds the eigenpairs of a 2x2 matrix', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(values[0]).toBeCloseTo(3, 10);
    expect(values[1]).toBeCloseTo(1, 10);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 10);
    expect(vectors[0] * vectors[2]).toBeGreaterThan(0); // first column is ±(1, 1)/√2
  });

  it('satisfies A v = λ v with orthonormal vectors on a random 12x12 matrix', () => {
    const n = 12;
    const rng = createRandom(3);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.next() - 0.5;
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      if (k > 0) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[j * n + k];
        expect(av).toBeCloseTo(values[k] * vectors[i * n + k], 8);
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += vectors[i * n + k] ** 2;
      expect(norm).toBeCloseTo(1, 10);
    }
  });
});

describe('truncatedItemFactors', () => {
  it('recovers the item Gram matrix of an exactly rank-2 matrix', async () => {
    // 6 users x 5 items built from two user "tastes"
    const rows = [[1, 1, 0, 0, 1], [2, 2, 0, 0, 2], [0, 0, 1, 1, 1], [0, 0, 3, 3, 3], [1, 1, 1, 1, 2], [0, 0, 2, 2, 2]];
    const m = fromDense(rows).matrix;
    const { factors, rank, singularValues } = await truncatedItemFactors(m, { rank: 2, seed: 1 });
    expect(rank).toBe(2);
    expect(singularValues[0]).toBeGreaterThan(singularValues[1]);
    for (let a = 0; a < 5; a++) {
      for (let b = 0; b < 5; b++) {
        let gram = 0;
        for (let u = 0; u < 6; u++) gram += rows[u][a] * rows[u][b];
        const approx = factors[a * 2] * factors[b * 2] + factors[a * 2 + 1] * factors[b * 2 + 1];
        expect(approx).toBeCloseTo(gram, 4);
      }
    }
  });

  it('clamps the rank to the matrix size', async () => {
    const m = new CsrMatrix(2, 3, Int32Array.of(0, 1, 2), Int32Array.of(0, 2), Float32Array.of(1, 1));
    const { rank, factors } = await truncatedItemFactors(m, { rank: 64 });
    expect(rank).toBe(2);
    expect(factors.length).toBe(6);
  });
});

describe('hybrid item vectors', () => {
  it('shares an item\'s vector between CF and text by its number of users', () => {
    const matrix = fromDense([[1, 1], [1, 0], [1, 0], [1, 0]]).matrix; // item 0: 4 users, item 1: 1 user
    const cf = cfSide(Float32Array.of(3, 4, 0, 2), 2, matrix, 0.5, 4);
    expect(cf.confidence[0]).toBeCloseTo(0.25, 6); // 0.5 * 4 / (4 + 4)
    expect(cf.confidence[1]).toBeCloseTo(0.1, 6); // 0.5 * 1 / (1 + 4)
    const v = hybridVector(cf, 0, Float32Array.of(1, 0, 0));
    expect(Array.from(v).map((x) => +x.toFixed(6))).toEqual([0.5 * 0.6, 0.5 * 0.8, Math.sqrt(0.75), 0, 0].map((x) => +x.toFixed(6)));
    expect(Array.from(hybridVector(cf, 1, new Float32Array(3)))).toEqual([0, 1, 0, 0, 0]); // no text: all CF
    expect(Array.from(hybridVector(cf, 5, Float32Array.of(0, 1, 0)))).toEqual([0, 0, 0, 1, 0]); // unknown item: all text
  });
});

describe('hybrid model', () => {
  const ctx = (content: ItemContent): FitContext => ({ logger: silentLogger, clock: fixedClock(0), seed: 7, content });

  it('places a barely-used item by its text and a well-used item by its users', async () => {
    // items 0-3 are co-consumed by many users; item 4 was used once (with item 2) but its text matches item 0
    const rows: number[][] = [];
    for (let u = 0; u < 30; u++) rows.push(u % 2 === 0 ? [1, 1, 0, 0, 0] : [0, 0, 1, 1, 0]);
    rows.push([0, 0, 1, 0, 1]);
    const text = Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1, 0.05, 0, 0.9, 0.99, 0.1, 0);
    const model = new HybridModel(hybridDefinition.parseParams({ factors: 4, shrinkage: 2, cfWeight: 1, center: false }));
    await model.fit(fromDense(rows), ctx({ embeddings: text, dimensions: 3 }));
    // well-used item 0: its CF twin is item 1 although their texts are orthogonal
    expect(model.similarItems(0, 1)[0].index).toBe(1);
    // barely-used item 4: its neighbour is the text twin (item 0), not its single co-occurrence (item 2)
    expect(model.similarItems(4, 1)[0].index).toBe(0);
  });

  it('answers text vectors and takes new items without retraining, surviving save/restore', async () => {
    const board = checkerboard();
    const model = new HybridModel(hybridDefinition.parseParams({ factors: 8 }));
    await model.fit(board.data, ctx(checkerboardContent()));
    expect(hasTextVectors(model)).toBe(true);
    const n = board.data.items.size;
    const raw = Float32Array.of(0, 1, 0, 0, 0.2, 0); // block 1's text direction
    const log = new AddedVectorLog(n, model.itemTextVector(n, raw).length);
    log.append(model.itemTextVector(n, raw));
    const served = model.withAddedItems(log.snapshot());
    const user = board.blockOfUser.indexOf(1);
    const list = served.recommend({ user, k: 3, exclude: board.data.matrix.rowIndices(user) });
    expect(list.map((s) => s.index)).toContain(n);
    expect(served.recommendByVector(served.encodeText(raw), 1)[0].index).toBe(n);
    expect(model.itemCount).toBe(n); // the trained model is unchanged
    const restored = hybridDefinition.restore(decodeArtifact(encodeArtifact(served.save())));
    expect(restored.recommend({ user, k: 5 })).toEqual(model.recommend({ user, k: 5 }));
  });
});
