/**
 * The behaviour every EmbeddingProvider must show. Each provider's test file runs
 * `embeddingProviderConformanceSuite('name', () => openIt())`.
 *
 * Contract: `dimensions` honoured; one vector per text in input order; deterministic; unit L2 norm for any text
 * with a letter or digit (any script, any length) and the zero vector for texts without (empty, whitespace,
 * punctuation); an aborted signal rejects with EngineError CANCELLED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../core/errors.js';
import type { EmbeddingProvider } from '../providers/embedding.js';

export interface EmbeddingConformanceOptions {
  /** Called after the suite (stop servers, delete folders). */
  close?: () => Promise<void>;
  /** Largest coordinate difference for "the same vector" (default 1e-5; batched float inference may need more). */
  tolerance?: number;
}

const SENTENCES = [
  'A crew of explorers travels through a wormhole in space.',
  'Two lovers meet in Paris and fall in love.',
  'A detective hunts a serial killer in a rainy city.',
  'Cooking pasta with fresh tomatoes and basil.',
];
const UNICODE = ['东京的夜晚很美', '我喜欢看科幻电影', 'مرحبا بالعالم', 'Ça va très bien, merci', 'naïve café résumé', 'rocket 🚀 launch', 'Привет, мир'];

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function expectCancelled(p: Promise<unknown>): Promise<void> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(isEngineError(error) && error.code === 'CANCELLED', `expected EngineError CANCELLED, got ${String(error)}`).toBe(true);
}

/**
 * Registers the suite with vitest.
 *
 * @example embeddingProviderConformanceSuite('ngram', async () => createNgramEncoder());
 */
export function embeddingProviderConformanceSuite(name: string, open: () => Promise<EmbeddingProvider>, opts: EmbeddingConformanceOptions = {}): void {
  const tolerance = opts.tolerance ?? 1e-5;
  describe(`embedding provider conformance: ${name}`, () => {
    let provider: EmbeddingProvider;
    beforeAll(async () => { provider = await open(); });
    afterAll(async () => { await opts.close?.(); });

    it('declares an id and a positive integer number of dimensions', () => {
      expect(provider.id).toMatch(/\S+:\S+/);
      expect(Number.isInteger(provider.dimensions) && provider.dimensions > 0).toBe(true);
    });

    it('embeds an empty batch to an empty list', async () => {
      expect(await provider.embed([])).toEqual([]);
    });

    it('returns one unit-length vector of the declared size per text', async () => {
      const vectors = await provider.embed(SENTENCES);
      expect(vectors).toHaveLength(SENTENCES.length);
      for (const v of vectors) {
        expect(v).toBeInstanceOf(Float32Array);
        expect(v.length).toBe(provider.dimensions);
        expect(v.every(Number.isFinite)).toBe(true);
        expect(norm(v)).toBeCloseTo(1, 4);
      }
    });

    it('keeps batch order: each text embedded alone gives the same vector', async () => {
      const batch = await provider.embed(SENTENCES);
      for (let i = 0; i < SENTENCES.length; i++) {
        const [alone] = await provider.embed([SENTENCES[i]]);
        expect(maxDiff(alone, batch[i])).toBeLessThan(tolerance);
      }
    });

    it('is deterministic across calls', async () => {
      const a = await provider.embed(SENTENCES);
      const b = await provider.embed(SENTENCES);
      a.forEach((v, i) => expect(maxDiff(v, b[i])).toBeLessThan(tolerance));
    });

    it('tells different texts apart', async () => {
      const vectors = await provider.embed(SENTENCES);
      for (let i = 0; i < vectors.length; i++) {
        for (let j = i + 1; j < vectors.length; j++) expect(maxDiff(vectors[i], vectors[j])).toBeGreaterThan(1e-3);
      }
    });

    it('gives texts without letters or digits the zero vector', async () => {
      const vectors = await provider.embed(['', '   ', '?!', SENTENCES[0]]);
      for (const v of vectors.slice(0, 3)) {
        expect(v.length).toBe(provider.dimensions);
        expect(norm(v)).toBe(0);
      }
      expect(norm(vectors[3])).toBeCloseTo(1, 4);
    });

    it('embeds any script (Chinese, Arabic, Cyrillic, accents, emoji) to distinct unit vectors', async () => {
      const vectors = await provider.embed(UNICODE);
      for (const v of vectors) {
        expect(v.length).toBe(provider.dimensions);
        expect(norm(v)).toBeCloseTo(1, 4);
      }
      expect(maxDiff(vectors[0], vectors[1])).toBeGreaterThan(1e-3);
    });

    it('embeds very long texts', async () => {
      const long = Array.from({ length: 4000 }, (_, i) => SENTENCES[i % SENTENCES.length]).join(' ');
      const [v] = await provider.embed([long]);
      expect(v.length).toBe(provider.dimensions);
      expect(norm(v)).toBeCloseTo(1, 4);
    });

    it('embeds a large batch in order', async () => {
      const texts = Array.from({ length: 300 }, (_, i) => `${SENTENCES[i % SENTENCES.length]} Number ${i}.`);
      const vectors = await provider.embed(texts);
      expect(vectors).toHaveLength(texts.length);
      for (const i of [0, 1, 137, 299]) {
        const [alone] = await provider.embed([texts[i]]);
        expect(maxDiff(alone, vectors[i])).toBeLessThan(tolerance);
      }
    });

    it('rejects with CANCELLED when the signal is already aborted', async () => {
      await expectCancelled(provider.embed(SENTENCES, AbortSignal.abort()));
    });

    it('rejects with CANCELLED when aborted while working', async () => {
      const controller = new AbortController();
      const texts = Array.from({ length: 2000 }, (_, i) => `${SENTENCES[i % SENTENCES.length]} ${i}`);
      const running = provider.embed(texts, controller.signal);
      controller.abort();
      await expectCancelled(running);
    });
  });
}
