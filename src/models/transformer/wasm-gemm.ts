import { TransformerKernelInstance } from './kernel-instance.js';

/**
 * c[m x n] += a[m x k] · b[k x n] (row-major float32) on Kindred's WebAssembly SIMD micro-kernel (the 4 x 8 block of
 * gemmAccF32, as gemmRowsAccF32 in transformer-wat.ts, which reads A's rows in place), or c += aᵀ · b for a stored
 * k x m (accumulateTransposedA, gemmColsAccF32: no transpose copy). c and a are copied into one private memory whole
 * (memcpy), b is copied and packed into 8-column strips (by pack8 in WebAssembly when n % 8 == 0), and c's block is
 * copied back. The copies cost O(mk + kn + mn) against O(mkn) multiply-adds. One instance per thread; the memory grows
 * (by replacement) to the largest product seen.
 *
 * @example new WasmGemm().accumulate(x, w, y, tokens, 64, 64)
 */
export class WasmGemm {
  private readonly instance = new TransformerKernelInstance();

  accumulate(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    this.product(a, b, c, m, k, n, false);
  }

  /** c[m x n] += aᵀ · b with a stored k x m row-major (the weight gradient xᵀ · dy of a dense layer). */
  accumulateTransposedA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    this.product(a, b, c, m, k, n, true);
  }

  private product(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, transposedA: boolean): void {
    const mp = (m + 3) & ~3;
    const np = (n + 7) & ~7;
    const cBytes = mp * np * 4;
    const aBytes = mp * k * 4;
    // b row-major (k x n) is staged after its packed strips when pack8 can pack it
    const stage = np === n;
    const kernels = this.instance.ensure(cBytes + aBytes + np * k * 4 + (stage ? n * k * 4 : 0));
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
    if (transposedA) {
      // a is k x m: its rows padded to mp columns
      if (mp === m) mem.set(a.subarray(0, m * k), ao);
      else {
        for (let p = 0; p < k; p++) {
          mem.set(a.subarray(p * m, p * m + m), ao + p * mp);
          mem.fill(0, ao + p * mp + m, ao + p * mp + mp);
        }
      }
    } else {
      mem.set(a.subarray(0, m * k), ao);
      mem.fill(0, ao + m * k, ao + mp * k);
    }
    if (stage) {
      const so = bo + np * k;
      mem.set(b.subarray(0, k * n), so);
      kernels.pack8(so * 4, n, k, n, bo * 4);
    } else {
      mem.fill(0, bo + (np - 8) * k, bo + np * k);
      for (let p = 0; p < k; p++) {
        const row = p * n;
        for (let j = 0; j < n; j++) mem[bo + (j >> 3) * k * 8 + p * 8 + (j & 7)] = b[row + j];
      }
    }
    if (transposedA) kernels.gemmColsAccF32(0, np, ao * 4, mp, bo * 4, mp, np, k, 1);
    else kernels.gemmRowsAccF32(0, np, ao * 4, k, bo * 4, mp, np, k, 1);
    if (np === n) c.set(mem.subarray(0, m * n));
    else for (let i = 0; i < m; i++) c.set(mem.subarray(i * np, i * np + n), i * n);
  }
}
