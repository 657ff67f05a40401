import type { Scored } from '../core/types.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { hasTextVectors } from '../models/semantic/text-query.js';
import { createVectorIndex, type TieredVectorIndex } from '../vectors/tiered-index.js';
import { factorSpace, type ItemSpaceKind } from './item-space.js';

/** The k items nearest a unit vector of an item space (cosine, highest first), never the excluded ones. */
export type NearestItems = (vector: Float32Array, k: number, exclude: ReadonlySet<number>) => Scored[];

/** A vector index over the main model's unit item factors, built once per served model (exact while small, HNSW above). */
const factorIndexes = new WeakMap<object, TieredVectorIndex | null>();

function factorIndexOf(bundle: ModelBundle): TieredVectorIndex | null {
  const main = bundle.models.main;
  let index = factorIndexes.get(main);
  if (index !== undefined) return index;
  const space = factorSpace(bundle);
  index = space ? createVectorIndex({ dims: space.dims, metric: 'cosine' }) : null;
  if (space && index) {
    for (let i = 0; i < bundle.trainedItems; i++) {
      const v = space.vector(i);
      if (v) index.add(i, v);
    }
  }
  factorIndexes.set(main, index);
  return index;
}

/**
 * The nearest-item search of an item space the bundle has: the semantic model's own index for `text`, a vector index
 * over the main model's item factors for `factors`; undefined for the neighbours space (its coordinates are one
 * user's items) and when the bundle lacks the space.
 *
 * @example nearestItemsIn(bundle, 'text')?.(centroid, 20, new Set(blocked))
 */
export function nearestItemsIn(bundle: ModelBundle, kind: ItemSpaceKind | undefined): NearestItems | undefined {
  if (kind === 'text') {
    const model = bundle.models.semantic;
    if (!model || !hasTextVectors(model)) return undefined;
    return (vector, k, exclude) => model.recommendByVector(vector, k, { exclude: Int32Array.from(exclude) });
  }
  if (kind === 'factors') {
    const index = factorIndexOf(bundle);
    return index ? (vector, k, exclude) => index.search(vector, k, { exclude }) : undefined;
  }
  return undefined;
}
