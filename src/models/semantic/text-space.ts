/**
 * The text side that the vector-space models (semantic, hybrid) share: the params that shape how a history is scored
 * and whether texts are centred, and how raw provider vectors become the unit, centred vectors of a model's space.
 */
import { EngineError } from '../../core/errors.js';
import type { ContentVectors } from './content-vectors.js';
import { unit, type HistoryAggregate } from './item-vector-space.js';

/** Params of a text-vector space (semantic's params; hybrid adds its CF params to these). */
export interface TextSpaceParams {
  /** 'max': an item scores by its closest history item (item-to-item); 'mean': by the mean history vector. */
  aggregate: HistoryAggregate;
  /** Only the user's most recent this many items are used (0 = all). */
  historyLimit: number;
  /** Recency half-life in history positions: the user's latest items count most (0 = off). */
  recencyHalfLife: number;
  /** Subtract the catalogue's mean text vector before comparing (removes the direction every text shares). */
  center: boolean;
  /** Brute-force search below this many items, HNSW above. */
  exactBelow: number;
}

/** Validation rules of TextSpaceParams for `parseParamsWith` (spread them after a model's own rules). */
export const TEXT_SPACE_PARAM_RULES = {
  aggregate: { type: 'choice', values: ['max', 'mean'] },
  historyLimit: { type: 'int', min: 0, max: 100_000 },
  recencyHalfLife: { type: 'float', min: 0, max: 100_000 },
  center: { type: 'boolean' },
  exactBelow: { type: 'int', min: 0, max: 100_000_000 },
} as const;

/**
 * Unit text vectors, centred on the mean of the items that have one and re-normalised when `center` is on.
 *
 * @example centredVectors(text, true).mean // the mean unit vector that was subtracted
 */
export function centredVectors(text: ContentVectors, center: boolean): { vectors: Float32Array; mean: Float32Array } {
  const { dims, present } = text;
  const n = present.length;
  const vectors = new Float32Array(n * dims);
  const mean = new Float32Array(dims);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (present[i] !== 1) continue;
    const v = unit(text.vectors.subarray(i * dims, (i + 1) * dims));
    vectors.set(v, i * dims);
    for (let d = 0; d < dims; d++) mean[d] += v[d];
    count++;
  }
  if (!center || count === 0) return { vectors, mean: new Float32Array(dims) };
  for (let d = 0; d < dims; d++) mean[d] /= count;
  for (let i = 0; i < n; i++) {
    if (present[i] !== 1) continue;
    const row = vectors.subarray(i * dims, (i + 1) * dims);
    for (let d = 0; d < dims; d++) row[d] -= mean[d];
    row.set(unit(row));
  }
  return { vectors, mean };
}

/**
 * One raw provider vector (a text query, a new item's text) centred like the catalogue by `mean` (the mean that
 * `centredVectors` returned; zeros when centring is off) and unit length; a zero vector stays zero. Throws
 * EngineError INVALID_INPUT when its dimensions differ from the model's.
 *
 * @example centreTextVector(Float32Array.of(3, 4), new Float32Array(2)) // Float32Array [0.6, 0.8]
 */
export function centreTextVector(raw: Float32Array, mean: Float32Array): Float32Array {
  if (raw.length !== mean.length) throw new EngineError('INVALID_INPUT', `text vector has ${raw.length} dimensions, the model has ${mean.length}`);
  const u = unit(raw);
  if (!u.some((x) => x !== 0)) return u;
  return unit(u.map((x, d) => x - mean[d]));
}
