import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../core/logger.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../testkit/fake-openai-server.js';
import { llmProviderConformanceSuite } from '../../testkit/llm-conformance.js';
import { createOpenAiChat, type OpenAiChatOptions } from './openai-chat.js';
import { createTokenBudget } from './token-budget.js';

let conformanceFake: FakeOpenAiServer;
llmProviderConformanceSuite(
  'openai chat (fake server)',
  async () => {
    conformanceFake = await startFakeOpenAiServer();
    return createOpenAiChat({ model: 'gpt-test', baseUrl: conformanceFake.baseUrl, logger: silentLogger });
  },
  { close: () => conformanceFake.close(), slowNextRequest: () => conformanceFake.inject({ delayMs: 5000 }) },
);

describe('OpenAI-compatible chat provider', () => {
  let fake: FakeOpenAiServer;
  beforeAll(async () => { fake = await startFakeOpenAiServer(); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.setChat((req) => (req.format === 'json' ? '{"ok":true}' : `echo: ${req.prompt}`));
  });
  const open = (opts: Partial<OpenAiChatOptions> = {}) => createOpenAiChat({ model: 'gpt-test', baseUrl: fake.baseUrl, retryBaseMs: 1, logger: silentLogger, ...opts });

  it('sends system and user messages, max_tokens, temperature 0 and JSON mode', async () => {
    const llm = open();
    expect(await llm.complete({ system: 'Be terse.', prompt: 'Give JSON', format: 'json', maxTokens: 7 })).toEqual({ text: '{"ok":true}' });
    expect(fake.requests[0].path).toBe('/v1/chat/completions');
    expect(fake.requests[0].body).toEqual({
      model: 'gpt-test',
      messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Give JSON' }],
      max_tokens: 7,
      temperature: 0,
      response_format: { type: 'json_object' },
    });
  });

  it('leaves out response_format when the server does not support it', async () => {
    await open({ jsonResponseFormat: false }).complete({ prompt: 'x', format: 'json' });
    expect(fake.requests[0].body).not.toHaveProperty('response_format');
  });

  it('answers repeated requests from its LRU cache, keyed by model, system, prompt and format', async () => {
    const llm = open({ cacheSize: 2 });
    await llm.complete({ prompt: 'a' });
    await llm.complete({ prompt: 'a' });
    await llm.complete({ prompt: 'a', system: 's' });
    await llm.complete({ prompt: 'a', format: 'json' });
    expect(fake.requests).toHaveLength(3);
    expect(llm.usage()).toMatchObject({ requests: 3, cacheHits: 1 });
    await llm.complete({ prompt: 'a' }); // evicted by the two newer entries
    expect(fake.requests).toHaveLength(4);
  });

  it('counts tokens from usage and refuses requests once the budget is spent', async () => {
    fake.setChat(() => 'x'.repeat(40)); // 10 completion tokens per answer
    const llm = open({ tokenBudget: 25, cacheSize: 0 });
    await llm.complete({ prompt: 'p'.repeat(8) }); // 2 + 10 = 12 tokens
    await llm.complete({ prompt: 'q'.repeat(8) }); // 24 in total: still under 25
    expect(llm.usage()).toMatchObject({ promptTokens: 4, completionTokens: 20, totalTokens: 24 });
    await llm.complete({ prompt: 'r' }); // allowed (24 < 25), ends above the budget
    await expect(llm.complete({ prompt: 's' })).rejects.toMatchObject({ code: 'PROVIDER_FAILED', details: { reason: 'token_budget' } });
    expect(fake.requests).toHaveLength(3);
  });

  it('shares a budget object between providers', async () => {
    const budget = createTokenBudget(1);
    await open({ tokenBudget: budget, cacheSize: 0 }).complete({ prompt: 'hello' });
    await expect(open({ tokenBudget: budget }).complete({ prompt: 'other' })).rejects.toMatchObject({ details: { reason: 'token_budget' } });
  });

  it('rejects a response without message content', async () => {
    fake.inject({ malformed: 'no-content' });
    await expect(open().complete({ prompt: 'x' })).rejects.toMatchObject({ code: 'PROVIDER_FAILED', message: /no message content/ });
  });

  it('retries a 503 and never logs the prompt', async () => {
    const logs: string[] = [];
    fake.inject({ status: 503 });
    const { text } = await open({ logger: createLogger('debug', (l) => logs.push(l)) }).complete({ prompt: 'confidential prompt' });
    expect(text).toBe('echo: confidential prompt');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain('confidential');
  });

  it('surfaces a wrong API key as PROVIDER_FAILED 401', async () => {
    const guarded = await startFakeOpenAiServer({ requireKey: 'right' });
    try {
      const llm = createOpenAiChat({ model: 'm', baseUrl: guarded.baseUrl, apiKey: 'wrong', logger: silentLogger });
      await expect(llm.complete({ prompt: 'x' })).rejects.toMatchObject({ code: 'PROVIDER_FAILED', details: { status: 401 } });
      const ok = createOpenAiChat({ model: 'm', baseUrl: guarded.baseUrl, apiKey: 'right', logger: silentLogger });
      expect((await ok.complete({ prompt: 'x' })).text).toMatch(/^Reply/);
    } finally {
      await guarded.close();
    }
  });
});
