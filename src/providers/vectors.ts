/**
 * Small dense-vector helpers shared by every embedding provider. CPU-only, synchronous.
 */
import { EngineError } from '../core/errors.js';

/** Dot product of two equal-length vectors. @example dot(a, b) */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Scales `v` in place to unit length and returns its former norm; a zero vector stays zero.
 *
 * @example l2Normalize(new Float32Array([3, 4])) // 5, vector becomes [0.6, 0.8]
 */
export function l2Normalize(v: Float32Array): number {
  const norm = Math.sqrt(dot(v, v));
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return norm;
}

/** Cosine similarity; 0 when either vector is zero. @example cosine(a, b) */
export function cosine(a: Float32Array, b: Float32Array): number {
  const na = Math.sqrt(dot(a, a));
  const nb = Math.sqrt(dot(b, b));
  return na > 0 && nb > 0 ? dot(a, b) / (na * nb) : 0;
}

/** Throws EngineError CANCELLED when the signal has fired. @example throwIfAborted(signal, 'embedding') */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new EngineError('CANCELLED', `${what} cancelled`);
}

/** Yields to the event loop so long CPU batches do not starve I/O (and an abort can land). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
