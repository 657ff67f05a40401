/**
 * A token budget for LLM calls: counts tokens from the responses' `usage` fields and refuses new requests once
 * the count reaches the limit. Requests already in flight finish, so the count may end slightly above the limit.
 */
import { EngineError } from '../../core/errors.js';

export interface TokenBudget {
  readonly limit: number;
  readonly used: number;
  /** Throws EngineError PROVIDER_FAILED (details.reason "token_budget") when the budget is spent. */
  check(providerId: string): void;
  record(tokens: number): void;
}

/**
 * Creates a budget; share one object between providers to give them a common limit.
 *
 * @example const budget = createTokenBudget(1_000_000); createOpenAiChat({ model, tokenBudget: budget, logger });
 */
export function createTokenBudget(limit = Number.POSITIVE_INFINITY): TokenBudget {
  if (!(limit > 0)) throw new EngineError('INVALID_CONFIG', 'token budget must be a positive number', { path: 'tokenBudget' });
  let used = 0;
  return {
    limit,
    get used() { return used; },
    check(providerId: string): void {
      if (used >= limit) {
        throw new EngineError('PROVIDER_FAILED', `${providerId}: token budget spent (${used} of ${limit} tokens)`, {
          provider: providerId, reason: 'token_budget', used, limit,
        });
      }
    },
    record(tokens: number): void {
      if (Number.isFinite(tokens) && tokens > 0) used += tokens;
    },
  };
}
