import { describe, expect, it } from 'vitest';
import { sharedLayout } from '../linalg/arena.js';
import { mulberry32 } from '../linalg/random.js';
import { kernelModule } from '../linalg/wasm/kernels.js';
import { localKernelEnv } from '../workers/pool.js';
import { alsSolveKernel } from './als-kernels.js';
import { alsSolveRowsReference } from './cg-reference.js';

describe('WASM alsSolveRows kernel', () => {
  // k = 8, 16 and 24 take the kernel's two-chunk, four-chunk and mixed loops
  it.each([8, 16, 24])('matches the TypeScript reference CG row by row, loss included (k = %i)', (k) => {
    const rand = mulberry32(9);
    const users = 30;
    const items = 50;
    const indptr = [0];
    const indices: number[] = [];
    for (let u = 0; u < users; u++) {
      // user 3 has no events: its row must become zero
      for (let i = 0; i < items; i++) if (u !== 3 && rand() < 0.2) indices.push(i);
      indptr.push(indices.length);
    }
    const nnz = indices.length;
    const conf = Float32Array.from({ length: nnz }, () => 1 + rand() * 5);
    const x = Float32Array.from({ length: users * k }, () => rand() * 0.1);
    const y = Float32Array.from({ length: items * k }, () => rand() * 0.5 - 0.1);
    const g = new Float32Array(k * k);
    for (let i = 0; i < items; i++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) g[a * k + b] += y[i * k + a] * y[i * k + b];

    const { memory, blocks } = sharedLayout({
      indptr: ['i32', users + 1], indices: ['i32', nnz], conf: ['f32', nnz], x: ['f32', users * k], y: ['f32', items * k], g: ['f32', k * k],
      scratch: ['f32', 4 * k], bounds: ['i32', 4], next: ['i32', 1], losses: ['f64', 3],
    });
    blocks.indptr.view.set(indptr);
    blocks.indices.view.set(indices);
    blocks.conf.view.set(conf);
    blocks.x.view.set(x);
    blocks.y.view.set(y);
    blocks.g.view.set(g);
    // three chunks of uneven size, claimed in turn by this one "worker"
    blocks.bounds.view.set([0, 7, 8, users]);
    const env = localKernelEnv(memory, kernelModule());
    const solved = alsSolveKernel(env, {
      indptr: blocks.indptr.ptr, indices: blocks.indices.ptr, conf: blocks.conf.ptr, x: blocks.x.ptr, y: blocks.y.ptr, g: blocks.g.ptr,
      k, cgSteps: 3, scratch: blocks.scratch.ptr, withLoss: true, regBase: 0.5, regPerEvent: 0.05,
      chunkBounds: blocks.bounds.ptr, chunkCount: 3, nextChunk: blocks.next.ptr, chunkLosses: blocks.losses.ptr,
    });
    expect(solved).toBe(3);
    expect(blocks.next.view[0]).toBeGreaterThanOrEqual(3);
    const loss = blocks.losses.view.reduce((a, b) => a + b, 0);
    const expectedX = x.slice();
    const side = { indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), conf };
    const expectedLoss = alsSolveRowsReference(side, expectedX, y, g, { k, r0: 0, r1: users, cgSteps: 3, withLoss: true, regBase: 0.5, regPerEvent: 0.05 });
    expect(Array.from(blocks.x.view.subarray(3 * k, 4 * k))).toEqual(new Array(k).fill(0));
    expect(blocks.x.view).not.toEqual(x);
    for (let e = 0; e < users * k; e++) expect(blocks.x.view[e]).toBeCloseTo(expectedX[e], 4);
    expect(loss / expectedLoss).toBeCloseTo(1, 4);
    // the chunk with rows [7, 8) reports that row's share alone
    const row7 = alsSolveRowsReference(side, x.slice(), y, g, { k, r0: 7, r1: 8, cgSteps: 3, withLoss: true, regBase: 0.5, regPerEvent: 0.05 });
    expect(blocks.losses.view[1] / row7).toBeCloseTo(1, 4);
  });
});
