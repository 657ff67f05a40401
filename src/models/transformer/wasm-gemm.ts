import { TransformerKernelInstance } from './kernel-instance.js';

/**
 * c[m x n] += a[m x k] · b[k x n] (row-major float32) on Kindred's WebAssembly SIMD micro-kernel (the 4 x 8 block of
 * gemmAccF32, as gemmRowsAccF32 in transformer-wat.ts, which reads A's rows in place): c and a are copied into one
 * private memory whole (memcpy), only b is packed (as 8-column strips), and c's block is copied back. The copies cost
 * O(mk + kn + mn) against O(mkn) multiply-adds. One instance per thread; the memory grows (by replacement) to the
 * largest product seen.
 *
 * @example new WasmGemm().accumulate(x, w, y, tokens, 64, 64)
 */
export class WasmGemm {
  private readonly instance = new TransformerKernelInstance();

  accumulate(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    const mp = (m + 3) & ~3;
    const np = (n + 7) & ~7;
    const cBytes = mp * np * 4;
    const aBytes = mp * k * 4;
    const kernels = this.instance.ensure(cBytes + aBytes + np * k * 4);
    const mem = this.instance.floats();
    const [ao, bo] = [cBytes / 4, (cBytes + aBytes) / 4];
    // padding rows and columns only meet zeros (never stale bits, which could be slow denormals) and are not copied back
    if (np === n) mem.set(c.subarray(0, m * n), 0);
    else {
      for (let i = 0; i < m; i++) {
        mem.set(c.subarray(i * n, i * n + n), i * np);
        mem.fill(0, i * np + n, i * np + np);
      }
    }
    mem.fill(0, m * np, mp * np);
    mem.set(a.subarray(0, m * k), ao);
    mem.fill(0, ao + m * k, ao + mp * k);
    if (np !== n) mem.fill(0, bo + (np - 8) * k, bo + np * k);
    for (let p = 0; p < k; p++) {
      const row = p * n;
      for (let j = 0; j < n; j++) mem[bo + (j >> 3) * k * 8 + p * 8 + (j & 7)] = b[row + j];
    }
    kernels.gemmRowsAccF32(0, np, ao * 4, k, bo * 4, mp, np, k);
    if (np === n) c.set(mem.subarray(0, m * n));
    else for (let i = 0; i < m; i++) c.set(mem.subarray(i * np, i * np + n), i * n);
  }
}
