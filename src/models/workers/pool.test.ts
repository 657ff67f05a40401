import { describe, expect, it } from 'vitest';
import { sharedLayout } from '../linalg/arena.js';
import { kernelModule, type KernelExports } from '../linalg/wasm/kernels.js';
import { localKernelEnv, threadCount, WorkerPool, type KernelEnv } from './pool.js';

interface FillArgs {
  ptr: number;
  start: number;
  end: number;
}

/** Writes i² into [start, end) through a nested helper (a named inner function, as tsx/vitest transforms keep). */
function fillSquares(env: KernelEnv, a: FillArgs): number {
  function square(v: number): number {
    return v * v;
  }
  const view = new Float64Array(env.memory.buffer, a.ptr, a.end);
  for (let i = a.start; i < a.end; i++) view[i] = square(i);
  return a.end - a.start;
}

function fail(_env: KernelEnv, a: { message: string }): never {
  throw new Error(a.message);
}

/** C += A B through the WASM export, proving each worker instantiated the module over the shared memory. */
function wasmGemm(env: KernelEnv, a: { c: number; ap: number; bp: number }): void {
  (env.wasm as unknown as KernelExports).gemmAccF64(a.c, 4, a.ap, a.bp, 4, 4, 1);
}

describe('WorkerPool', () => {
  it('runs self-contained kernels on every worker over one shared memory', async () => {
    const { memory, blocks } = sharedLayout({ out: ['f64', 100] });
    const pool = WorkerPool.start({ kernels: { fillSquares, fail }, size: 2, memory });
    try {
      const counts = await pool.all('fillSquares', (w) => ({ ptr: blocks.out.ptr, start: w * 50, end: w * 50 + 50 }));
      expect(counts).toEqual([50, 50]);
      expect(Array.from(blocks.out.view)).toEqual(Array.from({ length: 100 }, (_, i) => i * i));
      await expect(pool.run(1, 'fail', { message: 'boom' })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('boom') });
      // a failing call leaves the worker usable
      expect(await pool.run(1, 'fillSquares', { ptr: blocks.out.ptr, start: 0, end: 1 })).toBe(1);
    } finally {
      await pool.close();
    }
    await expect(pool.run(0, 'fillSquares', { ptr: blocks.out.ptr, start: 0, end: 1 })).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('instantiates the WASM kernels in workers and on the calling thread alike', async () => {
    // outer product of a = (1, 2, 3, 4) and b = (5, 6, 7, 8): kk = 1, so packing is the identity
    const { memory, blocks } = sharedLayout({ c: ['f64', 16], a: ['f64', 4], b: ['f64', 4] });
    blocks.a.view.set([1, 2, 3, 4]);
    blocks.b.view.set([5, 6, 7, 8]);
    const expected = [1, 2, 3, 4].flatMap((x) => [5, 6, 7, 8].map((y) => x * y));
    const pool = WorkerPool.start({ kernels: { wasmGemm }, size: 1, memory, module: kernelModule() });
    try {
      await pool.run(0, 'wasmGemm', { c: blocks.c.ptr, ap: blocks.a.ptr, bp: blocks.b.ptr });
    } finally {
      await pool.close();
    }
    expect(Array.from(blocks.c.view)).toEqual(expected);
    wasmGemm(localKernelEnv(memory, kernelModule()), { c: blocks.c.ptr, ap: blocks.a.ptr, bp: blocks.b.ptr });
    expect(Array.from(blocks.c.view)).toEqual(expected.map((v) => 2 * v));
  });

  it('sizes pools from the request or the machine, never below one', () => {
    expect(threadCount(3)).toBe(3);
    expect(threadCount(0)).toBe(1);
    expect(threadCount(undefined)).toBeGreaterThanOrEqual(1);
  });
});
