import { EngineError } from '../core/errors.js';

/** Labels are non-negative 31-bit integers (hnswlib stores them as size_t; typed arrays as int32). */
export function checkLabel(label: number): void {
  if (!Number.isInteger(label) || label < 0 || label > 0x7fffffff) {
    throw new EngineError('INVALID_INPUT', `vector label must be a non-negative integer, got ${label}`, { path: 'label' });
  }
}

/** A vector must have exactly `dims` finite components. */
export function checkVector(vector: ArrayLike<number>, dims: number): void {
  if (vector.length !== dims) {
    throw new EngineError('INVALID_INPUT', `vector has ${vector.length} dimensions, the index has ${dims}`, { path: 'vector' });
  }
  for (let j = 0; j < dims; j++) {
    if (!Number.isFinite(vector[j])) throw new EngineError('INVALID_INPUT', 'vector has a non-finite component', { path: 'vector' });
  }
}

/**
 * A unit-length Float32Array copy of `v` (a zero vector stays zero, so it is similar to nothing).
 *
 * @example normalisedCopy([3, 4]) // Float32Array [0.6, 0.8]
 */
export function normalisedCopy(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  let sq = 0;
  for (let j = 0; j < out.length; j++) sq += out[j] * out[j];
  if (sq > 0) {
    const inv = 1 / Math.sqrt(sq);
    for (let j = 0; j < out.length; j++) out[j] *= inv;
  }
  return out;
}
