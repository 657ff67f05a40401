import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../core/logger.js';
import { embeddingProviderConformanceSuite } from '../../testkit/embedding-conformance.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../testkit/fake-openai-server.js';
import { openOpenAiEmbeddings, parseEmbeddingResponse, type OpenAiEmbeddingOptions } from './openai-embeddings.js';

let conformanceFake: FakeOpenAiServer;
embeddingProviderConformanceSuite(
  'openai (fake server)',
  async () => {
    conformanceFake = await startFakeOpenAiServer({ dimensions: 48, maxInputChars: 9000 });
    return openOpenAiEmbeddings({ model: 'local-model', baseUrl: conformanceFake.baseUrl, batchSize: 50, concurrency: 2, logger: silentLogger });
  },
  { close: () => conformanceFake.close() },
);

describe('OpenAI-compatible embeddings', () => {
  let fake: FakeOpenAiServer;
  beforeAll(async () => { fake = await startFakeOpenAiServer({ dimensions: 16 }); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => { fake.requests.length = 0; });
  const open = (opts: Partial<OpenAiEmbeddingOptions> = {}) =>
    openOpenAiEmbeddings({ model: 'nomic-embed-text', baseUrl: fake.baseUrl, dimensions: 16, retryBaseMs: 1, logger: silentLogger, ...opts });

  it('returns the server vectors normalised and in input order', async () => {
    const enc = await open();
    const texts = ['first text', 'second text', 'third text'];
    const vectors = await enc.embed(texts);
    texts.forEach((t, i) => {
      const expected = fake.expectedVector(t, 16);
      vectors[i].forEach((x, d) => expect(x).toBeCloseTo(expected[d], 6));
    });
  });

  it('splits inputs into batches of batchSize and never sends texts without content', async () => {
    const enc = await open({ batchSize: 4 });
    await enc.embed(['a1', '', 'a2', 'a3', '  ', 'a4', 'a5', 'a6', '!?', 'a7']);
    const inputs = fake.requests.map((r) => (r.body as { input: string[] }).input);
    expect(inputs).toEqual([['a1', 'a2', 'a3', 'a4'], ['a5', 'a6', 'a7']]);
  });

  it('probes the size once when it is neither declared nor known', async () => {
    const enc = await open({ dimensions: undefined });
    expect(enc.dimensions).toBe(16);
    expect(fake.requests).toHaveLength(1);
  });

  it('knows the sizes of OpenAI models and requests shortened text-embedding-3 vectors', async () => {
    const native = await open({ model: 'text-embedding-3-large', dimensions: undefined });
    expect(native.dimensions).toBe(3072);
    expect(fake.requests).toHaveLength(0);
    const short = await open({ model: 'text-embedding-3-small', dimensions: 24 });
    expect(short.id).toBe('openai:text-embedding-3-small@24');
    const [v] = await short.embed(['hello']);
    expect(v).toHaveLength(24);
    expect((fake.requests[0].body as { dimensions?: number }).dimensions).toBe(24);
  });

  it('fails clearly when the server returns another size than declared', async () => {
    const enc = await open({ dimensions: 32 });
    await expect(enc.embed(['hello'])).rejects.toMatchObject({
      code: 'PROVIDER_FAILED', message: 'openai:nomic-embed-text: returned 16-dimensional vectors, declared 32', details: { expected: 32, got: 16 },
    });
  });

  it.each([['no-data'], ['wrong-count'], ['wrong-dimensions']] as const)('rejects a malformed response (%s)', async (malformed) => {
    const enc = await open();
    fake.inject({ malformed });
    await expect(enc.embed(['hello', 'world'])).rejects.toMatchObject({ code: 'PROVIDER_FAILED' });
  });

  it('cuts long texts to maxInputChars without splitting a surrogate pair', async () => {
    const enc = await open({ maxInputChars: 5 });
    await enc.embed(['abcd🚀xyz']);
    expect((fake.requests[0].body as { input: string[] }).input).toEqual(['abcd']);
  });

  it('recovers from rate limits inside a multi-batch call and logs no text', async () => {
    const logs: string[] = [];
    const enc = await open({ batchSize: 2, logger: createLogger('debug', (l) => logs.push(l)) });
    fake.inject({ status: 429, retryAfterMs: 10 });
    const vectors = await enc.embed(['secret one', 'secret two', 'secret three']);
    expect(vectors).toHaveLength(3);
    expect(logs.some((l) => l.includes('HTTP 429'))).toBe(true);
    expect(logs.join('\n')).not.toContain('secret');
  });

  it('validates responses independently of the server (unit)', () => {
    const body = { data: [{ index: 1, embedding: [0, 2] }, { index: 0, embedding: [3, 4] }] };
    const [a, b] = parseEmbeddingResponse(body, 2, 2, 'p');
    expect(Array.from(a)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(Array.from(b)).toEqual([0, 1]);
    expect(() => parseEmbeddingResponse({ data: [{ index: 0, embedding: [1] }, { index: 0, embedding: [1] }] }, 2, 1, 'p')).toThrow(/repeated index/);
    expect(() => parseEmbeddingResponse({ data: [{ index: 0, embedding: ['x'] }] }, 1, 1, 'p')).toThrow(/non-numeric/);
    const base64 = Buffer.from(new Float32Array([3, 4]).buffer).toString('base64');
    expect(Array.from(parseEmbeddingResponse({ data: [{ index: 0, embedding: base64 }] }, 1, 2, 'p')[0])).toEqual([Math.fround(0.6), Math.fround(0.8)]);
  });

  it('rejects bad options', async () => {
    await expect(open({ batchSize: 0 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(open({ dimensions: -1 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
