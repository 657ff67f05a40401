import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import type { EmbeddingProvider } from '../providers/embedding.js';
import type { LlmProvider } from '../providers/llm.js';
import { openRecorded, ProviderCalls, recordEmbeddingCalls, recordLlmCalls } from './provider-calls.js';
import { percentile } from './percentile.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');

describe('ProviderCalls', () => {
  it('reports the configured provider before it is opened, and null for none', () => {
    const clock = fixedClock(T0);
    expect(new ProviderCalls('openai://text-embedding-3-small', clock).health()).toEqual({ id: 'openai:text-embedding-3-small', local: false, ok: true, opened: false, calls: 0, failures: 0, cancelled: 0 });
    expect(new ProviderCalls('ngram', clock).health()).toMatchObject({ id: 'ngram', local: true });
    expect(new ProviderCalls('none', clock).health()).toBeNull();
  });

  it('times calls, keeps the last outcome and the error code (never the message), and counts cancelled calls apart', async () => {
    const clock = fixedClock(T0);
    const calls = new ProviderCalls('openai://m', clock);
    let fail: EngineError | undefined;
    const inner: EmbeddingProvider = {
      id: 'openai:m', dimensions: 2,
      async embed(texts) {
        clock.advance(10 * texts.length);
        if (fail) throw fail;
        return texts.map(() => new Float32Array([1, 0]));
      },
    };
    const p = recordEmbeddingCalls(inner, calls);
    expect(p).toMatchObject({ id: 'openai:m', dimensions: 2 });
    expect('local' in p).toBe(false);
    await p.embed(['a']);
    await p.embed(['a', 'b', 'c']);
    await p.embed(['a', 'b']);
    expect(calls.health()).toEqual({ id: 'openai:m', local: false, ok: true, opened: true, lastCallAt: new Date(T0 + 60).toISOString(), p50Ms: 20, calls: 3, failures: 0, cancelled: 0 });
    fail = new EngineError('PROVIDER_FAILED', 'upstream said: secret text');
    await expect(p.embed(['x'])).rejects.toThrow('upstream');
    expect(calls.health()).toMatchObject({ ok: false, lastError: 'PROVIDER_FAILED', calls: 4, failures: 1, p50Ms: 20 });
    expect(JSON.stringify(calls.health())).not.toContain('secret');
    fail = new EngineError('CANCELLED', 'request went away');
    await expect(p.embed(['x'])).rejects.toThrow();
    expect(calls.health()).toMatchObject({ ok: false, calls: 5, failures: 1, cancelled: 1, p50Ms: 20 });
    fail = undefined;
    await p.embed(['x']);
    expect(calls.health()).toMatchObject({ ok: true, lastError: 'PROVIDER_FAILED', calls: 6, failures: 1, cancelled: 1 });
  });

  it('records a failure to open (not a call) and wraps LLM providers alike', async () => {
    const clock = fixedClock(T0);
    const embedding = new ProviderCalls('openai://m', clock);
    await expect(openRecorded(Promise.reject(new EngineError('INVALID_CONFIG', 'no key')), embedding, recordEmbeddingCalls)).rejects.toThrow('no key');
    expect(embedding.health()).toMatchObject({ ok: false, opened: false, lastError: 'INVALID_CONFIG', calls: 0, failures: 1 });
    expect(await openRecorded(Promise.resolve(undefined), embedding, recordEmbeddingCalls)).toBeUndefined();

    const llm = new ProviderCalls('openai://chat', clock);
    const inner: LlmProvider = { id: 'openai:chat', async complete() { clock.advance(250); return { text: 'ok' }; } };
    const wrapped = await openRecorded(Promise.resolve(inner), llm, recordLlmCalls);
    expect(await wrapped?.complete({ prompt: 'hi' })).toEqual({ text: 'ok' });
    expect(llm.health()).toMatchObject({ id: 'openai:chat', ok: true, opened: true, p50Ms: 250, calls: 1 });
  });
});

describe('percentile', () => {
  it('takes the nearest rank of unsorted values', () => {
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 0.95)).toBe(5);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 0.99)).toBe(99);
    expect(percentile([], 0.5)).toBe(0);
  });
});
