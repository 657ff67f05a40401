/**
 * Provider health from the calls the engine makes anyway: each embedding or LLM call is timed and its outcome kept
 * (the last RECENT_CALLS), so a health read never makes a call of its own (a remote provider's calls cost money).
 */
import type { Clock } from '../core/clock.js';
import { isEngineError } from '../core/errors.js';
import type { EmbeddingProvider } from '../providers/embedding.js';
import type { LlmProvider } from '../providers/llm.js';
import { parseProviderSpec } from '../providers/provider-spec.js';
import { percentile } from './percentile.js';

/** Calls kept for the median time. */
export const RECENT_CALLS = 200;

/** GET /v1/stats/serving `providers.embedding` / `providers.llm`. */
export interface ProviderHealth {
  /** The provider's id ("builtin:sif-glove-100d"); before its first use, the configured scheme and model. */
  id: string;
  /** True when texts never leave this machine. */
  local: boolean;
  /** False when the last call (or opening the provider) failed; true before any call. */
  ok: boolean;
  /** Whether this process opened the provider yet (it is opened on first use). */
  opened: boolean;
  /** The error code of the last failure (e.g. PROVIDER_FAILED, TIMEOUT), never its message. */
  lastError?: string;
  /** ISO-8601 time of the last call that ended. */
  lastCallAt?: string;
  /** Median milliseconds of the recent successful calls. */
  p50Ms?: number;
  /** Calls since the process started, and failures among them (plus failures to open the provider). */
  calls: number;
  failures: number;
  /** Calls among them that their caller gave up on (a request's deadline such as llm.deadlineMs, a client gone). */
  cancelled: number;
}

/** The error code of a failure, or the error's class name (messages may quote texts or URLs). */
function errorCode(err: unknown): string {
  if (isEngineError(err)) return err.code;
  return err instanceof Error ? err.name : 'Error';
}

/** The calls of one provider: outcomes and times, plus how opening it went. */
export class ProviderCalls {
  private readonly recentMs: number[] = [];
  private calls = 0;
  private failures = 0;
  private cancelled = 0;
  private lastOk = true;
  private lastError: string | undefined;
  private lastCallAt: number | undefined;
  private provider: { id: string; local: boolean } | undefined;

  /** `spec`: the configured provider (config embeddings.provider / llm.provider). */
  constructor(private readonly spec: string, private readonly clock: Clock) {}

  /** Notes the provider once opened (its id and locality replace the configured ones). */
  opened(p: { id: string; local?: boolean }): void {
    this.provider = { id: p.id, local: p.local === true };
  }

  /** Notes a failure to open the provider (a missing key, an unknown model...): a failure, not a call. */
  failedToOpen(err: unknown): void {
    this.fail(err);
  }

  /** Times `call` and keeps its outcome; a call its caller cancelled counts as cancelled, not as the provider's failure. */
  async time<T>(call: () => Promise<T>): Promise<T> {
    const started = this.clock.now();
    try {
      const out = await call();
      this.ended();
      this.lastOk = true;
      this.recentMs.push(this.clock.now() - started);
      if (this.recentMs.length > RECENT_CALLS) this.recentMs.shift();
      return out;
    } catch (err) {
      this.ended();
      // Cancelled: the caller gave up (a request's deadline, a client gone), which says nothing of the provider's health.
      if (isEngineError(err) && err.code === 'CANCELLED') this.cancelled++;
      else this.fail(err);
      throw err;
    }
  }

  /** The provider's health; null when none is configured (and none was given to the engine). */
  health(): ProviderHealth | null {
    if (this.provider === undefined && this.spec.trim() === 'none') return null;
    const { scheme, model } = parseProviderSpec(this.spec);
    const base = this.provider ?? { id: model === '' ? scheme : `${scheme}:${model}`, local: scheme !== 'openai' };
    return {
      ...base,
      ok: this.lastOk,
      opened: this.provider !== undefined,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.lastCallAt !== undefined ? { lastCallAt: new Date(this.lastCallAt).toISOString() } : {}),
      ...(this.recentMs.length > 0 ? { p50Ms: percentile(this.recentMs, 0.5) } : {}),
      calls: this.calls,
      failures: this.failures,
      cancelled: this.cancelled,
    };
  }

  private ended(): void {
    this.calls++;
    this.lastCallAt = this.clock.now();
  }

  private fail(err: unknown): void {
    this.failures++;
    this.lastOk = false;
    this.lastError = errorCode(err);
  }
}

/**
 * The provider with its calls recorded in `calls` (id, dimensions and locality unchanged).
 *
 * @example const embeddings = recordEmbeddingCalls(await openEmbeddingProvider('builtin'), calls)
 */
export function recordEmbeddingCalls(p: EmbeddingProvider, calls: ProviderCalls): EmbeddingProvider {
  calls.opened(p);
  return {
    id: p.id,
    dimensions: p.dimensions,
    ...(p.local !== undefined ? { local: p.local } : {}),
    embed: (texts, signal) => calls.time(() => p.embed(texts, signal)),
  };
}

/** The LLM provider with its calls recorded in `calls`. */
export function recordLlmCalls(p: LlmProvider, calls: ProviderCalls): LlmProvider {
  calls.opened(p);
  return { id: p.id, ...(p.local !== undefined ? { local: p.local } : {}), complete: (req) => calls.time(() => p.complete(req)) };
}

/**
 * Opens a provider with its calls recorded; a failure to open is recorded too (and still thrown).
 *
 * @example await openRecorded(openEmbeddingProvider('builtin'), calls, recordEmbeddingCalls)
 */
export async function openRecorded<P>(open: Promise<P | undefined>, calls: ProviderCalls, record: (p: P, calls: ProviderCalls) => P): Promise<P | undefined> {
  try {
    const p = await open;
    return p && record(p, calls);
  } catch (err) {
    calls.failedToOpen(err);
    throw err;
  }
}
