/** Intra-list diversity (ILD): mean pairwise dissimilarity of the top-k items of ONE list. Lists under 2 items score 0. */

/**
 * Jaccard similarity |A∩B| / |A∪B| of two category sets; 0 when both are empty.
 *
 * @example jaccard(['a', 'b'], ['b', 'c']) // 1/3
 */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  const setA = new Set(a);
  const setB = new Set(b);
  let inter = 0;
  for (const x of setA) if (setB.has(x)) inter++;
  return inter / (setA.size + setB.size - inter);
}

/**
 * ILD with categories: mean over pairs i<j of the top k of (1 − Jaccard(categories_i, categories_j)).
 *
 * @example categoryDiversity(Int32Array.of(0, 1), [['a', 'b'], ['b', 'c']], 2) // 1 − 1/3 = 0.6667
 */
export function categoryDiversity(list: ArrayLike<number>, categories: readonly (readonly string[])[], k: number): number {
  const m = Math.min(k, list.length);
  if (m < 2) return 0;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) sum += 1 - jaccard(categories[list[i]], categories[list[j]]);
  }
  return sum / ((m * (m - 1)) / 2);
}

/**
 * ILD with embeddings: mean over pairs of (1 − cosine(e_i, e_j)); `vectors` is row-major, `dim` floats per item.
 * A zero vector has cosine 0 with everything.
 *
 * @example embeddingDiversity(Int32Array.of(0, 1), Float32Array.of(1, 0, 0, 1), 2, 2) // 1
 */
export function embeddingDiversity(list: ArrayLike<number>, vectors: Float32Array, dim: number, k: number): number {
  const m = Math.min(k, list.length);
  if (m < 2) return 0;
  const norms = new Float64Array(m);
  for (let i = 0; i < m; i++) norms[i] = Math.sqrt(dot(vectors, list[i] * dim, list[i] * dim, dim));
  let sum = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const denom = norms[i] * norms[j];
      const cos = denom === 0 ? 0 : dot(vectors, list[i] * dim, list[j] * dim, dim) / denom;
      sum += 1 - cos;
    }
  }
  return sum / ((m * (m - 1)) / 2);
}

function dot(v: Float32Array, a: number, b: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += v[a + d] * v[b + d];
  return s;
}
