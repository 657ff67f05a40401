/**
 * `openai://<model>` as an LlmProvider: OpenAI-compatible `POST {baseUrl}/chat/completions` through the shared
 * HTTP client (retries, timeouts, concurrency), with a token budget and an in-memory LRU cache of answers keyed by
 * a hash of model + system + prompt + format + maxTokens (temperature is 0 by default, so answers are repeatable).
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { LlmProvider, LlmRequest } from '../llm.js';
import { LruMap } from '../lru-map.js';
import { resolveOpenAiEndpoint, type EndpointSettings } from './endpoint.js';
import { createOpenAiClient, type RetryOptions } from './http-client.js';
import { createTokenBudget, type TokenBudget } from './token-budget.js';

export interface OpenAiChatOptions extends RetryOptions, EndpointSettings {
  model: string;
  /** Default completion length when a request sets none (default 512). */
  maxTokens?: number;
  /** Sampling temperature (default 0: repeatable answers, which the cache relies on). */
  temperature?: number;
  /** Token limit for this process (a number) or a shared budget object; default unlimited. */
  tokenBudget?: number | TokenBudget;
  /** Cached answers (default 256; 0 disables the cache). */
  cacheSize?: number;
  /** Send `response_format: {type: "json_object"}` for format "json" (default true; turn off for servers without it). */
  jsonResponseFormat?: boolean;
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  fetch?: typeof fetch;
  random?: () => number;
  clock?: Clock;
}

export interface LlmUsage {
  /** Requests sent to the API (cache hits excluded). */
  requests: number;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  /** Tokens counted against the budget (estimated at 4 characters per token when a server reports no usage). */
  totalTokens: number;
}

export interface OpenAiChatProvider extends LlmProvider {
  usage(): LlmUsage;
  readonly budget: TokenBudget;
}

interface ChatResponse {
  choices?: { message?: { content?: unknown } }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown };
}

const count = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0);

/**
 * Creates the chat provider.
 *
 * @example const llm = createOpenAiChat({ model: 'gpt-4o-mini', tokenBudget: 200_000, logger }); await llm.complete({ prompt: 'Hi' });
 */
export function createOpenAiChat(opts: OpenAiChatOptions): OpenAiChatProvider {
  const { model } = opts;
  const id = `openai:${model}`;
  const defaultMaxTokens = opts.maxTokens ?? 512;
  if (!Number.isInteger(defaultMaxTokens) || defaultMaxTokens < 1) throw new EngineError('INVALID_CONFIG', 'maxTokens must be a positive integer', { path: 'maxTokens' });
  const budget = typeof opts.tokenBudget === 'object' ? opts.tokenBudget : createTokenBudget(opts.tokenBudget);
  const cache = new LruMap<string, string>(opts.cacheSize ?? 256);
  const client = createOpenAiClient({ ...opts, endpoint: resolveOpenAiEndpoint(opts, opts.env ?? {}), providerId: id });
  const usage: LlmUsage = { requests: 0, cacheHits: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0 };

  const complete = async (req: LlmRequest): Promise<{ text: string }> => {
    if (req.signal?.aborted) throw new EngineError('CANCELLED', 'LLM request cancelled');
    const format = req.format ?? 'text';
    const maxTokens = req.maxTokens ?? defaultMaxTokens;
    const key = createHash('sha256').update(JSON.stringify([model, req.system ?? null, req.prompt, format, maxTokens])).digest('hex');
    const cached = cache.get(key);
    if (cached !== undefined) {
      usage.cacheHits++;
      return { text: cached };
    }
    budget.check(id);
    const messages = [...(req.system ? [{ role: 'system', content: req.system }] : []), { role: 'user', content: req.prompt }];
    const body = {
      model,
      messages,
      max_tokens: maxTokens,
      temperature: opts.temperature ?? 0,
      ...(format === 'json' && opts.jsonResponseFormat !== false ? { response_format: { type: 'json_object' } } : {}),
    };
    usage.requests++;
    const response = (await client.post('/chat/completions', body, req.signal)) as ChatResponse | null;
    const text = response?.choices?.[0]?.message?.content;
    if (typeof text !== 'string') {
      throw new EngineError('PROVIDER_FAILED', `${id}: malformed chat response (no message content)`, { provider: id });
    }
    const promptTokens = count(response?.usage?.prompt_tokens);
    const completionTokens = count(response?.usage?.completion_tokens);
    const reported = count(response?.usage?.total_tokens) || promptTokens + completionTokens;
    const total = reported || Math.ceil(((req.system ?? '').length + req.prompt.length + text.length) / 4);
    usage.promptTokens += promptTokens;
    usage.completionTokens += completionTokens;
    usage.totalTokens += total;
    budget.record(total);
    cache.set(key, text);
    return { text };
  };

  return { id, complete, usage: () => ({ ...usage }), budget };
}
