import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from './concurrency-limit.js';
import { embedInBatches, encodeInSlices } from './embed-batches.js';
import { cosine, l2Normalize } from './vectors.js';

const lengthVector = (t: string) => Float32Array.from([t.length, 1]);

describe('embedInBatches', () => {
  it('keeps input order, batches the texts with content and gives the others the zero vector', async () => {
    const batches: string[][] = [];
    const out = await embedInBatches(['ab', '', 'abc', '...', 'a'], async (batch) => { batches.push(batch); return batch.map(lengthVector); }, { dimensions: 2, batchSize: 2 });
    expect(batches).toEqual([['ab', 'abc'], ['a']]);
    expect(out.map((v) => Array.from(v))).toEqual([[2, 1], [0, 0], [3, 1], [0, 0], [1, 1]]);
  });

  it('cancels sibling batches when one fails', async () => {
    const limit = createConcurrencyLimit(1);
    let calls = 0;
    const failing = embedInBatches(['a', 'b', 'c'], async () => { calls++; throw new Error('HTTP 500'); }, { dimensions: 2, batchSize: 1, limit });
    await expect(failing).rejects.toThrow('HTTP 500');
    expect(calls).toBe(1); // the queued batches were cancelled, not sent
  });
});

describe('encodeInSlices', () => {
  it('encodes every text in order, across slices', async () => {
    const out = await encodeInSlices(['ab', '', 'abc', 'a', 'abcd'], lengthVector, 2);
    expect(out.map((v) => Array.from(v))).toEqual([[2, 1], [0, 1], [3, 1], [1, 1], [4, 1]]);
  });

  it('stops between slices once the signal is aborted', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const encode = (t: string): Float32Array => {
      seen.push(t);
      if (t === 'b') controller.abort(); // lands while the first slice is still encoding
      return lengthVector(t);
    };
    await expect(encodeInSlices(['a', 'b', 'c', 'd'], encode, 2, controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toEqual(['a', 'b']);
  });
});

describe('vector helpers', () => {
  it('normalises in place and computes cosines, zero vectors included', () => {
    const v = Float32Array.from([3, 4]);
    expect(l2Normalize(v)).toBe(5);
    expect(Array.from(v)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(cosine(Float32Array.from([1, 0]), Float32Array.from([2, 0]))).toBe(1);
    expect(cosine(Float32Array.from([0, 0]), Float32Array.from([1, 0]))).toBe(0);
  });
});
