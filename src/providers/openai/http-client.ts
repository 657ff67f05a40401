/**
 * The one HTTP machinery for OpenAI-compatible APIs, shared by the embeddings and chat providers: JSON POST with
 * a per-attempt timeout, retries with exponential backoff and jitter on 429/5xx/timeouts/network errors (honouring
 * Retry-After), a concurrency limit, and errors from the catalogue. Request bodies (users' texts) are never logged
 * or put into errors.
 */
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { EngineError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { createConcurrencyLimit, type ConcurrencyLimit } from '../concurrency-limit.js';
import { endpointHeaders, endpointUrl, type OpenAiEndpoint } from './endpoint.js';

export interface RetryOptions {
  /** Retries after the first attempt, on 429, 5xx, timeouts and network errors (default 4). */
  maxRetries?: number;
  /** First backoff delay; doubles on each retry, with jitter (default 500 ms). */
  retryBaseMs?: number;
  /** Longest backoff delay (default 20 s). */
  retryMaxMs?: number;
  /** A Retry-After longer than this fails the call at once instead of waiting (default 60 s). */
  maxRetryAfterMs?: number;
  /** Timeout of each attempt, response body included (default 30 s). */
  timeoutMs?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
}

export interface OpenAiClientOptions extends RetryOptions {
  endpoint: OpenAiEndpoint;
  /** Names the provider in errors and logs, e.g. "openai:text-embedding-3-small". */
  providerId: string;
  logger: Logger;
  fetch?: typeof fetch;
  /** Jitter source in [0, 1) (tests pass a constant). */
  random?: () => number;
  /** Reads "now" for HTTP-date Retry-After values. */
  clock?: Clock;
}

export interface OpenAiClient {
  /** POSTs JSON to `path` (e.g. "/embeddings") and returns the parsed JSON body of a 2xx response. */
  post(path: string, body: unknown, signal?: AbortSignal): Promise<unknown>;
  readonly limit: ConcurrencyLimit;
}

type Attempt =
  | { kind: 'response'; status: number; headers: Headers; text: string }
  | { kind: 'timeout' }
  | { kind: 'network'; message: string };

const cancelled = (): EngineError => new EngineError('CANCELLED', 'provider request cancelled');

function checkPositive(name: string, value: number, allowZero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new EngineError('INVALID_CONFIG', `${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`, { path: name });
  }
  return value;
}

/** Sleeps `ms`, rejecting with CANCELLED as soon as the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const onAbort = (): void => { clearTimeout(timer); reject(cancelled()); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Milliseconds asked for by `retry-after-ms` (OpenAI) or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The server's own error message, shortened; OpenAI-style `{"error":{"message":...}}` or plain text. */
function serverMessage(text: string): string {
  let message = text;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof body.error === 'string' ? body.error : body.error?.message ?? body.message;
    if (typeof m === 'string') message = m;
  } catch {
    // not JSON: keep the raw text
  }
  message = message.replace(/\s+/g, ' ').trim();
  return message.length > 200 ? `${message.slice(0, 200)}...` : message;
}

/**
 * Creates a client for one endpoint.
 *
 * @example const client = createOpenAiClient({ endpoint, providerId: 'openai:gpt-4o-mini', logger }); await client.post('/chat/completions', body);
 */
export function createOpenAiClient(opts: OpenAiClientOptions): OpenAiClient {
  const maxRetries = checkPositive('maxRetries', opts.maxRetries ?? 4, true);
  const retryBaseMs = checkPositive('retryBaseMs', opts.retryBaseMs ?? 500, true);
  const retryMaxMs = checkPositive('retryMaxMs', opts.retryMaxMs ?? 20_000, true);
  const maxRetryAfterMs = checkPositive('maxRetryAfterMs', opts.maxRetryAfterMs ?? 60_000, true);
  const timeoutMs = checkPositive('timeoutMs', opts.timeoutMs ?? 30_000);
  const limit = createConcurrencyLimit(opts.concurrency ?? 4);
  const fetchImpl = opts.fetch ?? fetch;
  const random = opts.random ?? Math.random;
  const clock = opts.clock ?? systemClock;
  const { providerId, logger } = opts;
  const headers = endpointHeaders(opts.endpoint);

  const attempt = async (url: string, body: string, signal?: AbortSignal): Promise<Attempt> => {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    try {
      const res = await fetchImpl(url, { method: 'POST', headers, body, signal: combined });
      return { kind: 'response', status: res.status, headers: res.headers, text: await res.text() };
    } catch (e) {
      if (signal?.aborted) throw cancelled();
      if (timeout.signal.aborted) return { kind: 'timeout' };
      return { kind: 'network', message: (e as Error).message };
    } finally {
      clearTimeout(timer);
    }
  };

  const backoff = (retry: number): number => {
    const cap = Math.min(retryMaxMs, retryBaseMs * 2 ** retry);
    return cap / 2 + random() * (cap / 2);
  };

  const post = async (path: string, payload: unknown, signal?: AbortSignal): Promise<unknown> => {
    const url = endpointUrl(opts.endpoint, path);
    const body = JSON.stringify(payload);
    for (let retry = 0; ; retry++) {
      if (signal?.aborted) throw cancelled();
      const result = await attempt(url, body, signal);
      let failure: EngineError;
      let delay = backoff(retry);
      if (result.kind === 'response') {
        if (result.status >= 200 && result.status < 300) {
          try {
            return JSON.parse(result.text) as unknown;
          } catch {
            throw new EngineError('PROVIDER_FAILED', `${providerId}: malformed response (not JSON)`, { provider: providerId, status: result.status });
          }
        }
        const detail = serverMessage(result.text);
        failure = new EngineError('PROVIDER_FAILED', `${providerId}: HTTP ${result.status}${detail ? `: ${detail}` : ''}`, {
          provider: providerId, status: result.status, attempts: retry + 1,
        });
        if (result.status !== 429 && result.status < 500) throw failure; // 4xx: a retry cannot fix it
        const asked = retryAfterMs(result.headers, clock.now());
        if (asked !== undefined) {
          if (asked > maxRetryAfterMs) throw failure;
          delay = asked;
        }
      } else if (result.kind === 'timeout') {
        failure = new EngineError('TIMEOUT', `${providerId}: no response within ${timeoutMs} ms`, { provider: providerId, attempts: retry + 1 });
      } else {
        failure = new EngineError('PROVIDER_FAILED', `${providerId}: network error: ${result.message}`, { provider: providerId, attempts: retry + 1 });
      }
      if (retry >= maxRetries) throw failure;
      logger.warn('provider request failed; retrying', {
        provider: providerId,
        reason: result.kind === 'response' ? `HTTP ${result.status}` : result.kind,
        retry: retry + 1,
        delayMs: Math.round(delay),
      });
      await sleep(delay, signal);
    }
  };

  return {
    post: (path, payload, signal) => limit.run(() => post(path, payload, signal), signal),
    limit,
  };
}
