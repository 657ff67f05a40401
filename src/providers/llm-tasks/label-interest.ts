/**
 * A short name for one of a user's interests, written by a language model from the interest's distinctive terms and
 * typical titles. Optional: without a provider, past the deadline or with an unusable answer the caller keeps the
 * built-in label (src/interests/interest-labels.ts), which must read well on its own.
 */
import type { LlmProvider } from '../llm.js';
import { runWithDeadline } from './deadline.js';
import { clipText } from './prompt-text.js';

export interface InterestLabelRequest {
  /** The built-in label's terms, most distinctive first. */
  terms: string[];
  /** The interest's most typical titles. */
  titles: string[];
  deadlineMs: number;
  signal?: AbortSignal;
}

/** Longest label accepted from the model. */
const MAX_LABEL = 48;

/**
 * The model's answer as a label: its first line, without quotes, a "Label:" prefix or a final full stop; undefined
 * when that is empty, longer than 48 characters or has no letter.
 *
 * @example cleanLabel('"Space adventures."\n') // 'Space adventures'
 */
export function cleanLabel(answer: string): string | undefined {
  const line = answer.trim().split('\n')[0]?.trim() ?? '';
  const label = line.replace(/^label\s*:\s*/i, '').replace(/^["'“”‘’]+|["'“”‘’]+$/g, '').replace(/\.$/, '').trim();
  if (label.length === 0 || label.length > MAX_LABEL || !/\p{L}/u.test(label)) return undefined;
  return label;
}

/**
 * Asks the model for a 2–5 word name of the interest; undefined when it cannot give a usable one in time.
 *
 * @example await writeInterestLabel(llm, { terms: ['Sci-Fi', 'space'], titles: ['Alien', 'Dune'], deadlineMs: 1500 })
 */
export async function writeInterestLabel(provider: LlmProvider, req: InterestLabelRequest): Promise<string | undefined> {
  if (req.terms.length === 0 && req.titles.length === 0) return undefined;
  const prompt = [
    `Distinctive tags: ${req.terms.slice(0, 5).map((t) => clipText(t, 40)).join(', ') || '(none)'}`,
    `Typical titles: ${req.titles.slice(0, 5).map((t) => clipText(t, 80)).join('; ') || '(none)'}`,
    '',
    'Name this taste in 2 to 5 words, e.g. "Gritty crime dramas". Answer with the name only.',
  ].join('\n');
  const outcome = await runWithDeadline(
    req.deadlineMs,
    (signal) => provider.complete({ system: 'You name a user\'s tastes for a recommender system. Be concrete and brief.', prompt, format: 'text', maxTokens: 16, signal }),
    req.signal,
  );
  return outcome.ok ? cleanLabel(outcome.value.text) : undefined;
}
