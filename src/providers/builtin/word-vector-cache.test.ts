import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWordIndex, lookupWord } from './word-index.js';
import { readWordVectorCache, writeWordVectorCache, WORD_VECTOR_CACHE_FORMAT, type CachedWordVectors } from './word-vector-cache.js';

const words = ['ä', 'b-c', '"'];
const index = buildWordIndex(words);
const data: CachedWordVectors = {
  header: { format: WORD_VECTOR_CACHE_FORMAT, source: 'test@1', rows: 3, dimensions: 2, sourceVocabularySize: 10, componentRecipe: 'r1', indexSize: index.length },
  table: { words, ranks: Int32Array.from([0, 4, 7]), matrix: Float32Array.from([1, 2, 3, 4, 5, 6]), dimensions: 2, sourceVocabularySize: 10 },
  component: Float32Array.from([0.6, 0.8]),
  index,
};

describe('word-vector cache', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'kindred-wvc-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('round-trips words, ranks, matrix and component', async () => {
    const path = join(dir, 'nested', 'a.bin');
    await writeWordVectorCache(path, data);
    const back = await readWordVectorCache(path, 'test@1', 3);
    expect(back?.header).toEqual(data.header);
    expect(back?.table.words).toEqual(data.table.words);
    expect(Array.from(back?.table.ranks ?? [])).toEqual([0, 4, 7]);
    expect(Array.from(back?.table.matrix ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(back?.component ?? [])).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(lookupWord(back?.index ?? new Int32Array(2), words, 'b-c')).toBe(1);
  });

  it('ignores a cache of another source or size, a missing file and a truncated file', async () => {
    const path = join(dir, 'b.bin');
    await writeWordVectorCache(path, data);
    expect(await readWordVectorCache(path, 'test@2', 3)).toBeUndefined();
    expect(await readWordVectorCache(path, 'test@1', 4)).toBeUndefined();
    expect(await readWordVectorCache(join(dir, 'missing.bin'), 'test@1', 3)).toBeUndefined();
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 20));
    expect(await readWordVectorCache(path, 'test@1', 3)).toBeUndefined();
    await writeFile(path, 'not a cache');
    expect(await readWordVectorCache(path, 'test@1', 3)).toBeUndefined();
  });
});

describe('word index', () => {
  it('finds every word, misses unknown ones, and keeps the first row of a repeated word', () => {
    const vocab = Array.from({ length: 5000 }, (_, i) => `w${i}`);
    vocab.push('w7'); // a duplicate at the end
    const idx = buildWordIndex(vocab);
    expect(idx.length).toBe(16384);
    for (const i of [0, 1, 7, 4999]) expect(lookupWord(idx, vocab, `w${i}`)).toBe(i);
    expect(lookupWord(idx, vocab, 'w5000')).toBeUndefined();
    expect(lookupWord(buildWordIndex([]), [], 'x')).toBeUndefined();
  });
});
