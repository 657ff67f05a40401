import type { Vec } from './dense.js';
import { WasmGemm } from './wasm-gemm.js';

/** Products below this many multiply-adds stay in TypeScript: packing would cost more than SIMD saves. */
const WASM_MIN_WORK = 32_768;
let wasm: WasmGemm | undefined;

/**
 * c[m x n] += a[m x k] · b[k x n], all row-major: on the WebAssembly SIMD kernel for large float32 products, else in
 * TypeScript (gemmAccumulateTs).
 *
 * @example gemmAccumulate(x, w, y, tokens, d, d)
 */
export function gemmAccumulate(a: Vec, b: Vec, c: Vec, m: number, k: number, n: number): void {
  if (a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array && m * k * n >= WASM_MIN_WORK) {
    (wasm ??= new WasmGemm()).accumulate(a, b, c, m, k, n);
    return;
  }
  gemmAccumulateTs(a, b, c, m, k, n);
}

/**
 * c[m x n] += aᵀ · b with a stored k x m row-major, b k x n (a dense layer's weight gradient xᵀ · dy): on the
 * WebAssembly kernel that reads aᵀ in place for large float32 products, else a transpose and gemmAccumulateTs.
 *
 * @example gemmAccumulateTransposedA(x, dy, dw, nIn, tokens, nOut)
 */
export function gemmAccumulateTransposedA(a: Vec, b: Vec, c: Vec, m: number, k: number, n: number): void {
  if (a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array && m * k * n >= WASM_MIN_WORK) {
    (wasm ??= new WasmGemm()).accumulateTransposedA(a, b, c, m, k, n);
    return;
  }
  const aT = a instanceof Float64Array ? new Float64Array(m * k) : new Float32Array(m * k);
  transposeInto(a, k, m, aT);
  gemmAccumulateTs(aT, b, c, m, k, n);
}

/**
 * The TypeScript path of gemmAccumulate (float64 gradient checks, small products): a 4 x 4 block of c lives in 16
 * locals while the k loop runs, so each step loads 8 values for 16 multiply-adds; edges fall back to the plain loop.
 */
export function gemmAccumulateTs(a: Vec, b: Vec, c: Vec, m: number, k: number, n: number): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < k; p++) {
        const bo = p * n + j;
        const b0 = b[bo], b1 = b[bo + 1], b2 = b[bo + 2], b3 = b[bo + 3];
        const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
        c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
        c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
        c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
        c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
      }
      const r0 = i * n + j, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      c[r0] += c00; c[r0 + 1] += c01; c[r0 + 2] += c02; c[r0 + 3] += c03;
      c[r1] += c10; c[r1 + 1] += c11; c[r1 + 2] += c12; c[r1 + 3] += c13;
      c[r2] += c20; c[r2 + 1] += c21; c[r2 + 2] += c22; c[r2 + 3] += c23;
      c[r3] += c30; c[r3 + 1] += c31; c[r3 + 2] += c32; c[r3 + 3] += c33;
    }
    for (let j = n4; j < n; j++) plainCell(a, b, c, i, j, k, n, 4);
  }
  for (let i = m4; i < m; i++) for (let j = 0; j < n; j++) plainCell(a, b, c, i, j, k, n, 1);
}

/** c[i .. i + rows − 1, j] += a[those rows] · b[:, j]. */
function plainCell(a: Vec, b: Vec, c: Vec, i: number, j: number, k: number, n: number, rows: number): void {
  for (let r = i; r < i + rows; r++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[r * k + p] * b[p * n + j];
    c[r * n + j] += s;
  }
}

/**
 * out[cols x rows] = aᵀ for a row-major rows x cols matrix.
 *
 * @example transposeInto(w, nIn, nOut, wT)
 */
export function transposeInto(a: Vec, rows: number, cols: number, out: Vec): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[o + c];
  }
}
