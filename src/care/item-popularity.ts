import type { ModelBundle } from '../models/model-bundle.js';
import type { Model } from '../models/model.js';

/** The catalogue's largest popularity per trained popularity model (computed once per model version). */
const maxByModel = new WeakMap<Model<object>, number>();

/**
 * The popularity the bundle's `popular` model learned (interaction counts, decayed by popular.halfLifeDays when set)
 * of each given item index; items the model was not trained on (added after training) count 0. No extra state: the
 * popular model is in every bundle.
 *
 * @example popularityOf(bundle, Int32Array.of(4, 17)) // Float64Array [583, 2]
 */
export function popularityOf(bundle: ModelBundle, indexes: Int32Array): Float64Array {
  const out = new Float64Array(indexes.length);
  const trained = indexes.filter((i) => i >= 0 && i < bundle.trainedItems);
  if (trained.length === 0) return out;
  const scored = new Map(bundle.models.popular.recommend({ user: 0, k: trained.length, candidates: trained }).map((s) => [s.index, s.score]));
  indexes.forEach((i, p) => {
    out[p] = scored.get(i) ?? 0;
  });
  return out;
}

/**
 * The catalogue's largest popularity (the most popular item's), 0 for an empty model.
 *
 * @example maxPopularity(bundle) // 583
 */
export function maxPopularity(bundle: ModelBundle): number {
  const model = bundle.models.popular;
  let max = maxByModel.get(model);
  if (max === undefined) {
    max = Math.max(0, bundle.models.popular.recommend({ user: 0, k: 1 })[0]?.score ?? 0);
    maxByModel.set(model, max);
  }
  return max;
}
