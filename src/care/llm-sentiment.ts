import type { StoredEvent } from '../core/types.js';
import type { LlmProvider } from '../providers/llm.js';
import { reviewSentiments } from '../providers/llm-tasks/review-sentiment.js';
import { needsLlmSentiment, rememberLlmSentiment } from './sentiment.js';

/** Most texts sent to the model in one request (the newest first); the rest wait for the user's next requests. */
export const LLM_SENTIMENT_BATCH = 20;

/**
 * Asks the language model for the sentiment of the user's texts the English model cannot read (other scripts, by
 * Unicode script) and that have no score yet, newest first, at most 20, in one call under `deadlineMs`; the answers go
 * into the sentiment memo, so the live profile and gentle mode read them like any score. A text the model gave no
 * score for is remembered as no signal (never asked again in this process). Returns how many texts were sent.
 *
 * @example await scoreUnreadWithLlm(history, llm, config.llm.deadlineMs, signal) // 3
 */
export async function scoreUnreadWithLlm(history: readonly StoredEvent[], provider: LlmProvider, deadlineMs: number, signal?: AbortSignal): Promise<number> {
  const unread = history.filter((e) => needsLlmSentiment(e)).slice(0, LLM_SENTIMENT_BATCH);
  if (unread.length === 0) return 0;
  const scores = await reviewSentiments(provider, { texts: unread.map((e) => e.text ?? ''), deadlineMs, signal });
  unread.forEach((e, i) => rememberLlmSentiment(e.id, scores[i]));
  return unread.length;
}
