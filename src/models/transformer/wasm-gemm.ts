import { kernelModule, type KernelExports } from '../linalg/wasm/kernels.js';
import { wasmApi, type WasmMemory } from '../linalg/wasm/wasm-api.js';

const PAGE = 65_536;

/**
 * c[m x n] += a[m x k] · b[k x n] (row-major float32) on Kindred's WebAssembly SIMD micro-kernel (gemmAccF32, the
 * one EASE and ALS use): operands are packed into one private memory (A as 4-row strips, B as 8-column strips, padded
 * with zeros), multiplied, and c's block copied back. Packing costs O(mk + kn + mn) against O(mkn) multiply-adds.
 * One instance per thread; the memory grows (by replacement) to the largest product seen.
 *
 * @example new WasmGemm().accumulate(x, w, y, tokens, 64, 64)
 */
export class WasmGemm {
  private memory?: WasmMemory;
  private kernels?: KernelExports;
  private bytes = 0;

  accumulate(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    const mp = (m + 3) & ~3;
    const np = (n + 7) & ~7;
    const cBytes = mp * np * 4;
    const aBytes = mp * k * 4;
    const need = cBytes + aBytes + np * k * 4;
    const kernels = this.ensure(need);
    const buf = (this.memory as WasmMemory).buffer;
    const cm = new Float32Array(buf, 0, mp * np);
    const ap = new Float32Array(buf, cBytes, mp * k);
    const bp = new Float32Array(buf, cBytes + aBytes, np * k);
    cm.fill(0);
    ap.fill(0);
    bp.fill(0);
    for (let i = 0; i < m; i++) {
      const strip = (i >> 2) * k * 4 + (i & 3);
      const ao = i * k;
      for (let p = 0; p < k; p++) ap[strip + p * 4] = a[ao + p];
    }
    for (let p = 0; p < k; p++) {
      const bo = p * n;
      for (let j = 0; j < n; j++) bp[(j >> 3) * k * 8 + p * 8 + (j & 7)] = b[bo + j];
    }
    kernels.gemmAccF32(0, np, cBytes, cBytes + aBytes, mp, np, k);
    for (let i = 0; i < m; i++) {
      const co = i * n;
      const mo = i * np;
      for (let j = 0; j < n; j++) c[co + j] += cm[mo + j];
    }
  }

  private ensure(bytes: number): KernelExports {
    if (!this.kernels || bytes > this.bytes) {
      const pages = Math.ceil(Math.max(bytes, 2 * this.bytes) / PAGE);
      this.memory = new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
      this.kernels = new wasmApi.Instance(kernelModule(), { env: { memory: this.memory } }).exports as unknown as KernelExports;
      this.bytes = pages * PAGE;
    }
    return this.kernels;
  }
}
