/**
 * The behaviour every LlmProvider must show, and `createScriptedLlm`, an in-process provider with scripted
 * answers for testing code that uses an LLM (re-ranking, explanations) without a server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, isEngineError } from '../core/errors.js';
import type { LlmProvider, LlmRequest } from '../providers/llm.js';
import { extractJson } from '../providers/llm-tasks/json-extract.js';

export interface LlmConformanceOptions {
  close?: () => Promise<void>;
  /** Makes the next request take several seconds (to test aborting mid-request); the test is skipped without it. */
  slowNextRequest?: () => void;
}

export interface ScriptedLlm extends LlmProvider {
  /** Requests received, in order. */
  readonly calls: LlmRequest[];
  /** Makes the next request wait `ms` before answering (abortable). */
  delayNext(ms: number): void;
}

/**
 * An LlmProvider answering with `reply(request)` after `delayMs` (abortable).
 *
 * @example const llm = createScriptedLlm(() => '{"ranking": ["b", "a"]}');
 */
export function createScriptedLlm(reply: (req: LlmRequest) => string | Promise<string>, opts: { delayMs?: number; id?: string } = {}): ScriptedLlm {
  const calls: LlmRequest[] = [];
  let nextDelayMs: number | undefined;
  return {
    id: opts.id ?? 'scripted:test',
    calls,
    delayNext: (ms) => { nextDelayMs = ms; },
    async complete(req: LlmRequest): Promise<{ text: string }> {
      calls.push(req);
      const cancelled = (): EngineError => new EngineError('CANCELLED', 'LLM request cancelled');
      if (req.signal?.aborted) throw cancelled();
      const delayMs = nextDelayMs ?? opts.delayMs;
      nextDelayMs = undefined;
      if (delayMs) {
        await new Promise<void>((resolve, reject) => {
          const onAbort = (): void => { clearTimeout(timer); reject(cancelled()); };
          const timer = setTimeout(() => { req.signal?.removeEventListener('abort', onAbort); resolve(); }, delayMs);
          req.signal?.addEventListener('abort', onAbort, { once: true });
        });
      }
      return { text: await reply(req) };
    },
  };
}

/**
 * Registers the suite with vitest.
 *
 * @example llmProviderConformanceSuite('openai (fake server)', async () => createOpenAiChat({ ... }), { slowNextRequest });
 */
export function llmProviderConformanceSuite(name: string, open: () => Promise<LlmProvider>, opts: LlmConformanceOptions = {}): void {
  describe(`LLM provider conformance: ${name}`, () => {
    let provider: LlmProvider;
    beforeAll(async () => { provider = await open(); });
    afterAll(async () => { await opts.close?.(); });

    it('declares an id', () => {
      expect(provider.id).toMatch(/\S+:\S+/);
    });

    it('answers a text prompt with text', async () => {
      const { text } = await provider.complete({ prompt: 'Say hello in one word.', format: 'text', maxTokens: 10 });
      expect(typeof text).toBe('string');
      expect(text.trim().length).toBeGreaterThan(0);
    });

    it('answers a JSON prompt with parseable JSON', async () => {
      const { text } = await provider.complete({ system: 'Answer with JSON only.', prompt: 'Return {"ok": true} as JSON.', format: 'json', maxTokens: 20 });
      const value = extractJson(text);
      expect(typeof value === 'object' && value !== null).toBe(true);
    });

    it('gives identical answers to identical requests', async () => {
      const req = { system: 'Be brief.', prompt: 'Name a colour.', format: 'text' as const, maxTokens: 5 };
      expect((await provider.complete(req)).text).toBe((await provider.complete(req)).text);
    });

    it('rejects with CANCELLED when the signal is already aborted', async () => {
      const error = await provider.complete({ prompt: 'Never sent.', signal: AbortSignal.abort() }).then(() => undefined, (e: unknown) => e);
      expect(isEngineError(error) && error.code === 'CANCELLED').toBe(true);
    });

    // Needs a way to slow a request down; a suite without `slowNextRequest` skips this one test.
    it.skipIf(!opts.slowNextRequest)('rejects with CANCELLED promptly when aborted mid-request', async () => {
      opts.slowNextRequest?.();
      const controller = new AbortController();
      const started = performance.now();
      const running = provider.complete({ prompt: `A slow question ${started}`, signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const error = await running.then(() => undefined, (e: unknown) => e);
      expect(isEngineError(error) && error.code === 'CANCELLED').toBe(true);
      expect(performance.now() - started).toBeLessThan(1500);
    });
  });
}
