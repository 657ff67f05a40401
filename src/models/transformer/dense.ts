/**
 * Dense kernels shared by the Transformer's layers. Every buffer is row-major. Kernels take Float32Array in
 * training and Float64Array in the gradient checks, so the same code is verified in double precision.
 */
import { gemmAccumulate, gemmAccumulateTransposedA, transposeInto } from './gemm.js';

export type Vec = Float32Array | Float64Array;

/** A zeroed buffer of the same element type as `like`. */
export function zerosLike<V extends Vec>(like: V, length: number): V {
  return (like instanceof Float64Array ? new Float64Array(length) : new Float32Array(length)) as V;
}

/**
 * y[rows x nOut] = x[rows x nIn] · w[nIn x nOut] + b.
 *
 * @example linearForward(x, w, b, y, tokens, d, d)
 */
export function linearForward(x: Vec, w: Vec, b: Vec, y: Vec, rows: number, nIn: number, nOut: number): void {
  for (let t = 0; t < rows; t++) for (let j = 0; j < nOut; j++) y[t * nOut + j] = b[j];
  gemmAccumulate(x, w, y, rows, nIn, nOut);
}

/**
 * Backward of linearForward: dx += dy · wᵀ, dw += xᵀ · dy, db += Σ rows of dy (all accumulate). `dx` may be
 * undefined when the input needs no gradient. wᵀ is a width² copy; xᵀ is read in place (gemmAccumulateTransposedA).
 *
 * @example linearBackward(x, w, dy, dx, dw, db, tokens, d, d)
 */
export function linearBackward(x: Vec, w: Vec, dy: Vec, dx: Vec | undefined, dw: Vec, db: Vec, rows: number, nIn: number, nOut: number): void {
  for (let t = 0; t < rows; t++) for (let j = 0; j < nOut; j++) db[j] += dy[t * nOut + j];
  if (dx) {
    const wT = zerosLike(w, nIn * nOut);
    transposeInto(w, nIn, nOut, wT);
    gemmAccumulate(dy, wT, dx, rows, nOut, nIn);
  }
  gemmAccumulateTransposedA(x, dy, dw, nIn, rows, nOut);
}

/** out[i] = a[i] + b[i] (residual connections). */
export function addInto(out: Vec, a: Vec, b: Vec): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];
}

/** In place ReLU; returns the same buffer. */
export function reluInPlace(x: Vec): Vec {
  for (let i = 0; i < x.length; i++) if (x[i] < 0) x[i] = 0;
  return x;
}

/** dx = dy where the ReLU output was positive, else 0 (in place on dy). */
export function reluBackwardInPlace(dy: Vec, out: Vec): void {
  for (let i = 0; i < dy.length; i++) if (out[i] <= 0) dy[i] = 0;
}
