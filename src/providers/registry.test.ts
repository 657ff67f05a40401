import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../testkit/fake-openai-server.js';
import { parseProviderSpec, specParams } from './provider-spec.js';
import { defaultCacheDir, openEmbeddingProvider, openLlmProvider } from './registry.js';
import { writeTinyBertModel } from './transformers/tiny-model.js';

const transformersAvailable = await import('@huggingface/transformers').then(() => true, () => false);

describe('provider specs', () => {
  it('splits scheme, model (with slashes and colons) and parameters', () => {
    const spec = parseProviderSpec('openai://nomic-embed-text:latest?batchSize=16&baseUrl=http%3A%2F%2Flocalhost%3A11434%2Fv1');
    expect(spec.scheme).toBe('openai');
    expect(spec.model).toBe('nomic-embed-text:latest');
    expect(specParams(spec, { batchSize: 'int', baseUrl: 'string' })).toEqual({ batchSize: 16, baseUrl: 'http://localhost:11434/v1' });
    expect(parseProviderSpec('transformers://Xenova/all-MiniLM-L6-v2').model).toBe('Xenova/all-MiniLM-L6-v2');
    expect(parseProviderSpec(' builtin ')).toMatchObject({ scheme: 'builtin', model: '' });
  });

  it('types parameter values and rejects unknown or badly typed ones', () => {
    const spec = (q: string) => parseProviderSpec(`x://m?${q}`);
    expect(specParams(spec('on=true&n=2.5'), { on: 'boolean', n: 'number' })).toEqual({ on: true, n: 2.5 });
    expect(() => specParams(spec('n=2.5'), { n: 'int' })).toThrow(/integer/);
    expect(() => specParams(spec('on=yes'), { on: 'boolean' })).toThrow(/true or false/);
    expect(() => specParams(spec('dims=3'), { dimensions: 'int' })).toThrow(/dims is not supported \(supported: dimensions\)/);
  });
});

describe('provider registry', () => {
  let fake: FakeOpenAiServer;
  let cacheDir: string;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ dimensions: 12 });
    cacheDir = await mkdtemp(join(tmpdir(), 'kindred-registry-'));
  });
  afterAll(async () => {
    await fake.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('opens ngram with parameters from the spec', async () => {
    const enc = await openEmbeddingProvider('ngram?dimensions=128', { logger: silentLogger });
    expect(enc?.id).toBe('ngram:hash-128d');
  });

  it('opens builtin with its options (falling back to ngram when the vectors are missing)', async () => {
    const enc = await openEmbeddingProvider('builtin', { logger: silentLogger, cacheDir, builtin: { locate: async () => undefined, fallbackDimensions: 64 } });
    expect(enc?.id).toBe('ngram:hash-64d');
  });

  it('opens openai:// from spec parameters and environment', async () => {
    const env = { KINDRED_OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-test' };
    const enc = await openEmbeddingProvider('openai://local-embedder?dimensions=12&batchSize=2', { logger: silentLogger, env });
    expect(enc?.id).toBe('openai:local-embedder');
    expect(enc?.dimensions).toBe(12);
    await enc?.embed(['a', 'b', 'c']);
    expect(fake.requests.map((r) => (r.body as { input: string[] }).input)).toEqual([['a', 'b'], ['c']]);
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-test');
  });

  it.skipIf(!transformersAvailable)('opens transformers:// offline from a local folder', async () => {
    const dir = await writeTinyBertModel(join(cacheDir, 'models', 'tiny'));
    const enc = await openEmbeddingProvider(`transformers://${dir}?offline=true&dtype=q8`, { logger: silentLogger, cacheDir });
    expect(enc?.id).toBe(`transformers:${dir}@q8`);
  });

  it('opens the chat provider with a token budget from the environment', async () => {
    const llm = await openLlmProvider('openai://gpt-test?cacheSize=0', { logger: silentLogger, env: { KINDRED_OPENAI_BASE_URL: fake.baseUrl, KINDRED_LLM_TOKEN_BUDGET: '1' } });
    expect(llm?.id).toBe('openai:gpt-test');
    await llm?.complete({ prompt: 'hello there' });
    await expect(llm?.complete({ prompt: 'again' })).rejects.toMatchObject({ details: { reason: 'token_budget' } });
  });

  it('returns undefined for none', async () => {
    expect(await openEmbeddingProvider('none')).toBeUndefined();
    expect(await openLlmProvider('none')).toBeUndefined();
  });

  it('rejects unknown names and schemes with the list of valid ones, never guessing', async () => {
    await expect(openEmbeddingProvider('Builtin')).rejects.toMatchObject({ code: 'UNKNOWN_SCHEME', message: /unknown embedding provider "Builtin" \(expected one of: builtin, ngram/ });
    await expect(openEmbeddingProvider('cohere://embed-v3')).rejects.toMatchObject({ code: 'UNKNOWN_SCHEME' });
    await expect(openEmbeddingProvider('builtin://x')).rejects.toMatchObject({ code: 'UNKNOWN_SCHEME' });
    await expect(openLlmProvider('builtin')).rejects.toMatchObject({ code: 'UNKNOWN_SCHEME', message: /expected one of: openai:\/\/<model>, none/ });
    await expect(openLlmProvider('transformers://x')).rejects.toMatchObject({ code: 'UNKNOWN_SCHEME' });
  });

  it('rejects a missing model, unknown parameters and options meant for another provider', async () => {
    await expect(openEmbeddingProvider('openai://')).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: /needs a model/ });
    await expect(openEmbeddingProvider('ngram?dims=3')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(openEmbeddingProvider('none?x=1')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(openEmbeddingProvider('ngram', { openai: { batchSize: 4 } })).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: /options.openai do not apply/ });
    await expect(openLlmProvider('openai://m?dimensions=3')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(openLlmProvider('openai://m', { env: { KINDRED_LLM_TOKEN_BUDGET: 'lots' } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('puts the cache under KINDRED_CACHE_DIR, XDG_CACHE_HOME or ~/.cache', () => {
    expect(defaultCacheDir({ KINDRED_CACHE_DIR: '/c' })).toBe('/c');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' })).toBe(join('/x', 'kindred'));
    expect(defaultCacheDir({})).toMatch(/\.cache[\\/]kindred$/);
  });
});
