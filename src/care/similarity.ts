import { textSpace, factorSpace } from '../interests/item-space.js';
import type { Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';

/** Pairwise item similarity of a candidate pool, n × n row-major, 1 on the diagonal; PSD (a Gram or Tanimoto matrix). */
export interface PoolSimilarity {
  /** What the similarity was computed from. */
  kind: 'text' | 'factors' | 'categories';
  n: number;
  sim: Float64Array;
}

/** An item's category names (tags when it has none): what Jaccard similarity, caps and calibration read. */
export function categoriesOf(c: Candidate): readonly string[] {
  const cats = c.item?.categories ?? [];
  return cats.length > 0 ? cats : c.item?.tags ?? [];
}

/**
 * Jaccard similarity of every pair of label sets (an item without labels is similar only to itself).
 *
 * @example jaccardMatrix([['a'], ['a', 'b']]).sim // [1, 0.5, 0.5, 1]
 */
export function jaccardMatrix(labels: ReadonlyArray<readonly string[]>): PoolSimilarity {
  const n = labels.length;
  const sets = labels.map((l) => new Set(l));
  const sim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    sim[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      let inter = 0;
      for (const x of sets[i]) if (sets[j].has(x)) inter++;
      const union = sets[i].size + sets[j].size - inter;
      sim[i * n + j] = sim[j * n + i] = union === 0 ? 0 : inter / union;
    }
  }
  return { kind: 'categories', n, sim };
}

/**
 * Cosine similarity of unit vectors, clamped at 0 (opposite items are as unrelated as orthogonal ones); an item
 * without a vector is similar only to itself. Clamping keeps the matrix usable by MMR; DPP reads it as a kernel.
 *
 * @example cosineMatrix([Float32Array.of(1, 0), Float32Array.of(0, 1)]).sim // [1, 0, 0, 1]
 */
export function cosineMatrix(vectors: ReadonlyArray<Float32Array | undefined>, kind: 'text' | 'factors'): PoolSimilarity {
  const n = vectors.length;
  const sim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    sim[i * n + i] = 1;
    const a = vectors[i];
    for (let j = i + 1; j < n; j++) {
      const b = vectors[j];
      let s = 0;
      if (a && b) for (let d = 0; d < a.length; d++) s += a[d] * b[d];
      sim[i * n + j] = sim[j * n + i] = Math.max(0, Math.min(1, s));
    }
  }
  return { kind, n, sim };
}

/**
 * The similarity of the candidates from the best the bundle has: text embeddings of the semantic model, else the main
 * model's item factors, else Jaccard over categories. A vector space is used only when it covers most of the pool.
 *
 * @example const { sim, n } = poolSimilarity(candidates, ctx)
 */
export function poolSimilarity(candidates: readonly Candidate[], ctx: RecommendContext): PoolSimilarity {
  const indexes = candidates.map((c) => ctx.bundle.items.indexOf(c.itemId));
  for (const space of [textSpace(ctx.bundle), factorSpace(ctx.bundle)]) {
    if (!space) continue;
    const vectors = indexes.map((i) => (i === undefined ? undefined : space.vector(i)));
    if (vectors.filter(Boolean).length * 2 >= candidates.length) return cosineMatrix(vectors, space.kind === 'text' ? 'text' : 'factors');
  }
  return jaccardMatrix(candidates.map(categoriesOf));
}
