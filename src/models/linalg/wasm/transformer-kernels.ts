import { TRANSFORMER_WASM_BASE64 } from './transformer-binary.js';
import { wasmApi, type WasmModule } from './wasm-api.js';

/** Exports of transformer-wat.ts (byte offsets into the instance's memory; see there for the exact contracts). */
export interface TransformerKernelExports {
  /** `add` 1: C += A · B; 0: C = A · B. */
  gemmRowsAccF32(c: number, ldc: number, a: number, lda: number, bp: number, m: number, n: number, kk: number, add: number): void;
  /** As gemmRowsAccF32 with Aᵀ: A is kk x m row-major. */
  gemmColsAccF32(c: number, ldc: number, a: number, lda: number, bp: number, m: number, n: number, kk: number, add: number): void;
  pack8(src: number, ld: number, rows: number, cols: number, dst: number): void;
  packT8(src: number, ld: number, rows: number, cols: number, dst: number): void;
  rowMax(p: number, n: number): number;
  expShiftSum(p: number, n: number, shift: number): number;
  scaleRow(p: number, n: number, ld: number, scale: number): void;
  attnScores(q: number, k: number, p: number, len: number, row: number, dh: number, scale: number): void;
  attnContext(p: number, v: number, out: number, len: number, row: number, dh: number): void;
  attnBackward(q: number, k: number, v: number, p: number, dOut: number, dq: number, dk: number, dv: number, len: number, row: number, dh: number, scale: number, dp: number): void;
}

let compiled: WasmModule | undefined;

/**
 * The Transformer's kernel module, compiled once per thread on first use (never at import time); instantiate it over
 * an unshared memory imported as env.memory.
 *
 * @example new WebAssembly.Instance(transformerKernelModule(), { env: { memory } })
 */
export function transformerKernelModule(): WasmModule {
  compiled ??= new wasmApi.Module(Buffer.from(TRANSFORMER_WASM_BASE64, 'base64'));
  return compiled;
}
