import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { IdIndex } from '../core/ids.js';
import { createNgramEncoder } from '../providers/builtin/ngram-encoder.js';
import type { EmbeddingProvider } from '../providers/embedding.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { embedItems, itemEmbeddingText, loadItemVectors, textHash } from './item-embeddings.js';

/** The ngram encoder, recording every text it is asked to embed. */
function countingProvider(): EmbeddingProvider & { calls: string[][] } {
  const inner = createNgramEncoder({ dimensions: 32 });
  const calls: string[][] = [];
  return { id: inner.id, dimensions: inner.dimensions, calls, embed: (texts, signal) => (calls.push(texts), inner.embed(texts, signal)) };
}

async function storeWith(n: number): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.upsertItems(Array.from({ length: n }, (_, i) => ({ id: `i${i}`, title: `Film ${i}`, text: `plot number ${i}` })));
  return store;
}

describe('itemEmbeddingText', () => {
  it('joins title, categories, tags and text in that order, as sentences', () => {
    expect(itemEmbeddingText({ id: '1', title: 'Alien', categories: ['Horror', 'Sci-Fi'], tags: ['space'], text: 'In space no one can hear you scream' }))
      .toBe('Alien. Horror, Sci-Fi. space. In space no one can hear you scream.');
    expect(itemEmbeddingText({ id: '2', title: 'Heat!', text: 'A heist.' })).toBe('Heat! A heist.');
    expect(itemEmbeddingText({ id: '3', categories: [' ', ''], tags: [] })).toBe('');
  });
});

describe('textHash', () => {
  it('is a short, stable sha256 prefix that changes with the text', () => {
    expect(textHash('abc')).toBe('ba7816bf8f01cfea'); // sha256("abc") = ba7816bf8f01cfea414140de5dae2223...
    expect(textHash('abd')).not.toBe(textHash('abc'));
  });
});

describe('embedItems', () => {
  it('embeds every item once in batches, then only items whose text changed', async () => {
    const store = await storeWith(10);
    const provider = countingProvider();
    const progress: Array<[number, number]> = [];
    const first = await embedItems(store, provider, { batchSize: 4, onProgress: (d, t) => progress.push([d, t]), clock: fixedClock(0) });
    expect(first).toEqual({ embedded: 10, unchanged: 0, skipped: 0, seconds: 0 });
    expect(provider.calls.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(progress[progress.length - 1]).toEqual([10, 10]);

    await store.upsertItems([{ id: 'i3', title: 'Film 3', text: 'a new plot' }, { id: 'i11', title: 'Hidden', hidden: true }, { id: 'i12' }]);
    provider.calls.length = 0;
    const second = await embedItems(store, provider);
    expect(second).toMatchObject({ embedded: 1, unchanged: 9, skipped: 2 });
    expect(provider.calls).toEqual([['Film 3. a new plot.']]);
    const [stored] = await store.getEmbeddings(provider.id, ['i3']);
    expect(stored.textHash).toBe(textHash('Film 3. a new plot.'));
  });

  it('embeds only the requested items and stops when cancelled', async () => {
    const store = await storeWith(5);
    const provider = countingProvider();
    expect(await embedItems(store, provider, { itemIds: ['i1', 'i4', 'nope'] })).toMatchObject({ embedded: 2 });
    const controller = new AbortController();
    controller.abort();
    await expect(embedItems(store, provider, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('loadItemVectors', () => {
  it('lays stored vectors out by a model\'s item index, marking the missing ones', async () => {
    const store = await storeWith(3);
    const provider = countingProvider();
    await embedItems(store, provider, { itemIds: ['i0', 'i2'] });
    const items = IdIndex.from(['i2', 'unknown', 'i0']);
    const { vectors, dims, present } = await loadItemVectors(store, provider.id, items);
    expect(dims).toBe(32);
    expect(Array.from(present)).toEqual([1, 0, 1]);
    const [v2] = await provider.embed([itemEmbeddingText({ id: 'i2', title: 'Film 2', text: 'plot number 2' })]);
    expect(Array.from(vectors.subarray(0, 32))).toEqual(Array.from(v2));
    expect(vectors.subarray(32, 64).every((x) => x === 0)).toBe(true);
  });
});
