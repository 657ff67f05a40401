import { describe, expect, it } from 'vitest';
import { sharedLayout } from '../linalg/arena.js';
import { mulberry32 } from '../linalg/random.js';
import { kernelModule } from '../linalg/wasm/kernels.js';
import { localKernelEnv, WorkerPool } from '../workers/pool.js';
import { ALS_KERNELS, alsGramKernel, alsSolveKernel, type AlsSolveArgs } from './als-kernels.js';

describe('alsGram kernel', () => {
  it.each([8, 24, 64])('gives FᵀF with each entry summed in row order, however its rows are split (k = %i)', (k) => {
    const rand = mulberry32(k);
    const rows = 37; // not a multiple of the kernel's four-row blocks
    const { memory, blocks } = sharedLayout({ f: ['f32', rows * k], g: ['f32', k * k] });
    blocks.f.view.set(Float32Array.from({ length: rows * k }, () => rand() - 0.5));
    blocks.g.view.fill(123); // stale values must be overwritten
    const env = localKernelEnv(memory, kernelModule());
    const cuts = [0, 3, Math.floor(k / 2), k];
    for (let w = 0; w + 1 < cuts.length; w++) {
      alsGramKernel(env, { factors: blocks.f.ptr, k, rows, out: blocks.g.ptr, rowStart: cuts[w], rowEnd: cuts[w + 1] });
    }
    const f = blocks.f.view;
    const g = blocks.g.view;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let u = 0; u < rows; u++) s = Math.fround(s + Math.fround(f[u * k + a] * f[u * k + b]));
        expect(g[a * k + b]).toBe(s);
      }
    }
  });
});

describe('alsSolve kernel on a worker pool', () => {
  it('updates every row exactly as one thread does, with workers claiming chunks concurrently', async () => {
    const rand = mulberry32(4);
    const rows = 300;
    const cols = 120;
    const k = 16;
    const indptr = [0];
    const indices: number[] = [];
    for (let u = 0; u < rows; u++) {
      for (let i = 0; i < cols; i++) if (rand() < 0.1 + (u % 7) * 0.03) indices.push(i);
      indptr.push(indices.length);
    }
    const nnz = indices.length;
    const chunks = 40;
    const { memory, blocks } = sharedLayout({
      indptr: ['i32', rows + 1], indices: ['i32', nnz], conf: ['f32', nnz], x: ['f32', rows * k], y: ['f32', cols * k], g: ['f32', k * k],
      scratch: ['f32', 2 * 4 * k], bounds: ['i32', chunks + 1], next: ['i32', 1], losses: ['f64', chunks],
    });
    blocks.indptr.view.set(indptr);
    blocks.indices.view.set(indices);
    blocks.conf.view.set(Float32Array.from({ length: nnz }, () => rand() * 3));
    const x0 = Float32Array.from({ length: rows * k }, () => rand() * 0.1);
    blocks.y.view.set(Float32Array.from({ length: cols * k }, () => rand() * 0.2 - 0.05));
    const env = localKernelEnv(memory, kernelModule());
    alsGramKernel(env, { factors: blocks.y.ptr, k, rows: cols, out: blocks.g.ptr, rowStart: 0, rowEnd: k });
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) blocks.g.view[a * k + b] = blocks.g.view[b * k + a];
    blocks.bounds.view.set(Array.from({ length: chunks + 1 }, (_, c) => Math.round((c * rows) / chunks)));
    const args = (scratch: number): AlsSolveArgs => ({
      indptr: blocks.indptr.ptr, indices: blocks.indices.ptr, conf: blocks.conf.ptr, x: blocks.x.ptr, y: blocks.y.ptr, g: blocks.g.ptr,
      k, cgSteps: 3, scratch, withLoss: true, regBase: 1, regPerEvent: 0.1,
      chunkBounds: blocks.bounds.ptr, chunkCount: chunks, nextChunk: blocks.next.ptr, chunkLosses: blocks.losses.ptr,
    });

    blocks.x.view.set(x0);
    blocks.next.view[0] = 0;
    expect(alsSolveKernel(env, args(blocks.scratch.ptr))).toBe(chunks);
    const alone = { x: blocks.x.view.slice(), losses: blocks.losses.view.slice() };

    blocks.x.view.set(x0);
    blocks.losses.view.fill(0);
    Atomics.store(blocks.next.view, 0, 0);
    const pool = WorkerPool.start({ kernels: ALS_KERNELS, size: 2, memory, module: kernelModule() });
    try {
      const claimed = await pool.all('alsSolve', (w) => args(blocks.scratch.ptr + w * 4 * k * 4));
      expect(claimed[0] + claimed[1]).toBe(chunks);
    } finally {
      await pool.close();
    }
    expect(blocks.x.view).toEqual(alone.x);
    expect(blocks.losses.view).toEqual(alone.losses);
  });
});
