import type { SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import type { Model } from '../model.js';
import type { AddedVectors } from './added-vectors.js';
import { unit, type VectorQueryOptions } from './item-vector-space.js';

/**
 * Capability of the models whose items live in a text-embedding space (semantic, hybrid): free-text queries and
 * new items' texts can be mapped into it and searched. Checked with `hasTextVectors`.
 */
export interface TextVectors {
  /** Maps a provider's raw vector of a text into the model's item space. */
  encodeText(raw: Float32Array): Float32Array;
  /** A history's vector in the same space (unit length; zeros for an empty history). */
  userVector(history: SparseRow): Float32Array;
  recommendByVector(vector: Float32Array, k: number, opts?: VectorQueryOptions): Scored[];
  /**
   * The vector an item gets in this space from the raw vector of its text (`item` may be past the trained items):
   * what an added item's row holds (see `withAddedItems`).
   */
  itemTextVector(item: number, raw: Float32Array): Float32Array;
  /**
   * This model plus items stored after its training, as a new model: the trained model is not changed, the added items
   * are searchable, similar and recommendable at once (no retraining).
   */
  withAddedItems(added: AddedVectors): Model<object> & TextVectors;
  /** Items the model can score (trained plus added). */
  readonly itemCount: number;
}

export function hasTextVectors(m: Model<object>): m is Model<object> & TextVectors {
  const c = m as Partial<TextVectors>;
  return typeof c.encodeText === 'function' && typeof c.recommendByVector === 'function' && typeof c.withAddedItems === 'function';
}

/**
 * `alpha * query + (1 - alpha) * user`, both unit length first, the result unit length. An empty user vector (new
 * user) leaves the query alone; alpha 1 is the query alone.
 *
 * @example blendQueryVector(model.encodeText(raw), model.userVector(row), 0.7)
 */
export function blendQueryVector(query: Float32Array, user: Float32Array, alpha: number): Float32Array {
  const a = Math.min(1, Math.max(0, alpha));
  const q = unit(query);
  const u = unit(user);
  return unit(q.map((x, d) => a * x + (1 - a) * u[d]));
}

/**
 * The k items nearest to a vector of the model's space, never the excluded ones.
 *
 * @example recommendByVector(semantic, model.encodeText(raw), 10, consumed)
 */
export function recommendByVector(model: TextVectors, vector: Float32Array, k: number, exclude?: ArrayLike<number>): Scored[] {
  return model.recommendByVector(vector, k, { exclude });
}

export interface TextQuery {
  /** The provider's raw vector of the query text. */
  query: Float32Array;
  /** The user's history (omit for an anonymous query). */
  history?: SparseRow;
  /** Weight of the query against the user's taste (default 0.7). */
  alpha?: number;
  k: number;
  exclude?: ArrayLike<number>;
}

/**
 * A free-text query blended with the user's interests, in one call: what the engine's `recommend(user, { query })`
 * needs once it has embedded the query text.
 *
 * @example recommendForTextQuery(model, { query: (await provider.embed(['a romantic comedy']))[0], history: profile.row, k: 10 })
 */
export function recommendForTextQuery(model: TextVectors, q: TextQuery): Scored[] {
  const query = model.encodeText(q.query);
  const vector = q.history ? blendQueryVector(query, model.userVector(q.history), q.alpha ?? 0.7) : query;
  return model.recommendByVector(vector, q.k, { exclude: q.exclude });
}
