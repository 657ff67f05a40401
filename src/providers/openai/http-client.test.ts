import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../testkit/fake-openai-server.js';
import { resolveOpenAiEndpoint } from './endpoint.js';
import { createOpenAiClient, retryAfterMs, type OpenAiClientOptions } from './http-client.js';

const SECRET_TEXT = 'my private diary entry';

describe('OpenAI-compatible HTTP client', () => {
  let fake: FakeOpenAiServer;
  let logs: string[];
  beforeAll(async () => { fake = await startFakeOpenAiServer({ dimensions: 8 }); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => { fake.requests.length = 0; logs = []; });

  const client = (opts: Partial<OpenAiClientOptions> = {}) => createOpenAiClient({
    endpoint: { baseUrl: fake.baseUrl },
    providerId: 'openai:test',
    logger: createLogger('debug', (l) => logs.push(l)),
    retryBaseMs: 5,
    random: () => 0.5,
    ...opts,
  });
  const embedBody = { model: 'm', input: [SECRET_TEXT] };

  it('retries 429 after the time Retry-After asks for', async () => {
    fake.inject({ status: 429, retryAfterMs: 150 });
    const started = performance.now();
    const body = await client().post('/embeddings', embedBody) as { data: unknown[] };
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(body.data).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
  });

  it('retries 5xx and network drops with backoff, logging no request text', async () => {
    fake.inject({ status: 500 }, { status: 503, retryAfter: '0' }, { drop: true });
    await client().post('/embeddings', embedBody);
    expect(fake.requests).toHaveLength(4);
    expect(logs.filter((l) => l.includes('retrying'))).toHaveLength(3);
    expect(logs.join('\n')).not.toContain(SECRET_TEXT);
  });

  it('does not retry other 4xx errors and reports the status', async () => {
    fake.inject({ status: 400, body: JSON.stringify({ error: { message: 'bad model' } }) });
    await expect(client().post('/embeddings', embedBody)).rejects.toMatchObject({
      code: 'PROVIDER_FAILED', message: 'openai:test: HTTP 400: bad model', details: { status: 400, attempts: 1 },
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up after maxRetries', async () => {
    fake.inject({ status: 500 }, { status: 500 }, { status: 500 });
    await expect(client({ maxRetries: 2 }).post('/embeddings', embedBody)).rejects.toMatchObject({ code: 'PROVIDER_FAILED', details: { status: 500, attempts: 3 } });
    expect(fake.requests).toHaveLength(3);
  });

  it('fails at once when Retry-After asks for longer than maxRetryAfterMs', async () => {
    fake.inject({ status: 429, retryAfter: '120' });
    await expect(client({ maxRetryAfterMs: 1000 }).post('/embeddings', embedBody)).rejects.toMatchObject({ details: { status: 429 } });
    expect(fake.requests).toHaveLength(1);
  });

  it('times out a slow attempt, then retries it', async () => {
    fake.inject({ delayMs: 400 });
    await expect(client({ timeoutMs: 100, maxRetries: 0 }).post('/embeddings', embedBody)).rejects.toMatchObject({ code: 'TIMEOUT' });
    fake.inject({ delayMs: 400 });
    const started = performance.now();
    await client({ timeoutMs: 100, maxRetries: 1 }).post('/embeddings', embedBody);
    expect(performance.now() - started).toBeLessThan(390);
  });

  it('reports a 200 answer that is not JSON as malformed, without retrying', async () => {
    fake.inject({ malformed: 'not-json' });
    await expect(client().post('/embeddings', embedBody)).rejects.toMatchObject({ code: 'PROVIDER_FAILED', message: /malformed/ });
    expect(fake.requests).toHaveLength(1);
  });

  it('stops waiting for a retry when the caller aborts', async () => {
    fake.inject({ status: 429, retryAfterMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    await expect(client().post('/embeddings', embedBody, controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    fake.inject(...Array.from({ length: 6 }, () => ({ delayMs: 40 })));
    const c = client({ concurrency: 2, fetch: countingFetch });
    await Promise.all(Array.from({ length: 6 }, () => c.post('/embeddings', embedBody)));
    expect(peak).toBe(2);
    expect(fake.requests).toHaveLength(6);
  });

  it('sends a bearer key, or for Azure an api-key header and api-version', async () => {
    await client({ endpoint: { baseUrl: fake.baseUrl, apiKey: 'sk-1' } }).post('/embeddings', embedBody);
    await client({ endpoint: { baseUrl: fake.baseUrl, apiKey: 'az-1', apiVersion: '2024-10-21' } }).post('/embeddings', embedBody);
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-1');
    expect(fake.requests[0].query).toBe('');
    expect(fake.requests[1].headers['api-key']).toBe('az-1');
    expect(fake.requests[1].headers.authorization).toBeUndefined();
    expect(fake.requests[1].query).toBe('?api-version=2024-10-21');
  });
});

describe('endpoint settings', () => {
  it('reads base URL, key and API version from the environment, explicit settings first', () => {
    const env = { KINDRED_OPENAI_BASE_URL: 'http://localhost:11434/v1/', OPENAI_API_KEY: 'sk-env', KINDRED_OPENAI_API_VERSION: '' };
    expect(resolveOpenAiEndpoint({}, env)).toEqual({ baseUrl: 'http://localhost:11434/v1', apiKey: 'sk-env', apiVersion: undefined });
    expect(resolveOpenAiEndpoint({ apiKey: 'sk-x' }, {})).toEqual({ baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-x', apiVersion: undefined });
    expect(() => resolveOpenAiEndpoint({ baseUrl: 'ftp://x' }, {})).toThrow(/http/);
  });
});

describe('Retry-After', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it('understands milliseconds, seconds and HTTP dates', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250' }), 0)).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '2' }), 0)).toBe(2000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(headers({}), 0)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), 0)).toBeUndefined();
  });
});
