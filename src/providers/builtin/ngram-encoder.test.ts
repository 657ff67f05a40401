import { describe, expect, it } from 'vitest';
import { embeddingProviderConformanceSuite } from '../../testkit/embedding-conformance.js';
import { cosine } from '../vectors.js';
import { createNgramEncoder, ngramVector } from './ngram-encoder.js';

embeddingProviderConformanceSuite('ngram (256-d)', async () => createNgramEncoder());
embeddingProviderConformanceSuite('ngram (64-d)', async () => createNgramEncoder({ dimensions: 64 }));

describe('ngram encoder', () => {
  it('names its size in the id', () => {
    expect(createNgramEncoder({ dimensions: 512 }).id).toBe('ngram:hash-512d');
  });

  it('rejects sizes outside 8..8192', () => {
    expect(() => createNgramEncoder({ dimensions: 4 })).toThrow(/dimensions/);
    expect(() => createNgramEncoder({ dimensions: 10.5 })).toThrow(/dimensions/);
  });

  it('is insensitive to case and punctuation', () => {
    expect(Array.from(ngramVector('Star Wars!', 256))).toEqual(Array.from(ngramVector('star wars', 256)));
  });

  it('puts spelling variants closer than unrelated words (character n-grams)', () => {
    const colour = ngramVector('colourful painting', 256);
    expect(cosine(colour, ngramVector('colorful paintings', 256))).toBeGreaterThan(cosine(colour, ngramVector('quantum mechanics', 256)) + 0.3);
  });

  it('compares Chinese texts by shared characters and bigrams', () => {
    const a = ngramVector('我喜欢看科幻电影', 256);
    const similar = ngramVector('他喜欢科幻电影', 256);
    const other = ngramVector('今天天气很好', 256);
    expect(cosine(a, similar)).toBeGreaterThan(0.5);
    expect(cosine(a, similar)).toBeGreaterThan(cosine(a, other) + 0.3);
  });

  it('weights stopwords down: sharing only "the" and "of" matters less than sharing a content word', () => {
    const base = ngramVector('the history of rome', 256);
    expect(cosine(base, ngramVector('rome', 256))).toBeGreaterThan(cosine(base, ngramVector('the of', 256)));
  });
});
