/**
 * A short readable summary of a user's interests from their top tags and recent titles: written by a language
 * model when one is configured and answers in time, else by a deterministic template. The summary feeds LLM
 * re-ranking and explanations, and the dashboard shows it.
 */
import type { LlmProvider } from '../llm.js';
import { runWithDeadline } from './deadline.js';
import { firstSentence } from './explain.js';
import { clipText } from './prompt-text.js';

export interface InterestSummaryRequest {
  /** Most characteristic tags or categories first. */
  tags: string[];
  /** Recently liked titles, most recent first. */
  titles: string[];
  deadlineMs: number;
  signal?: AbortSignal;
}

function listPhrase(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * The template summary, e.g. "Enjoys science fiction, thriller and drama; recently: Alien, Heat."
 *
 * @example templateInterestSummary(['sci-fi'], ['Alien']) // 'Enjoys sci-fi; recently: Alien.'
 */
export function templateInterestSummary(tags: string[], titles: string[]): string {
  const topTags = [...new Set(tags.map((t) => clipText(t, 40)).filter(Boolean))].slice(0, 5);
  const recent = titles.map((t) => clipText(t, 60)).filter(Boolean).slice(0, 3);
  const parts = [
    ...(topTags.length ? [`Enjoys ${listPhrase(topTags)}`] : []),
    ...(recent.length ? [`recently: ${recent.join(', ')}`] : []),
  ];
  if (parts.length === 0) return 'No interests known yet.';
  const text = parts.join('; ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

/**
 * Summarises interests with the model (one or two short sentences), falling back to the template.
 *
 * @example await summariseInterests(llm, { tags: ['space opera'], titles: ['Dune'], deadlineMs: 1000 })
 */
export async function summariseInterests(provider: LlmProvider | undefined, req: InterestSummaryRequest): Promise<string> {
  const fallback = templateInterestSummary(req.tags, req.titles);
  if (!provider || (req.tags.length === 0 && req.titles.length === 0)) return fallback;
  const prompt = [
    `Top tags: ${req.tags.slice(0, 15).map((t) => clipText(t, 40)).join(', ') || '(none)'}`,
    `Recently liked: ${req.titles.slice(0, 10).map((t) => clipText(t, 80)).join('; ') || '(none)'}`,
    '',
    'Describe this person\'s tastes in one sentence of at most 30 words, starting with a verb like "Enjoys".',
  ].join('\n');
  const outcome = await runWithDeadline(
    req.deadlineMs,
    (signal) => provider.complete({ system: 'You summarise a user\'s tastes for a recommender system. Be concrete and brief.', prompt, format: 'text', maxTokens: 80, signal }),
    req.signal,
  );
  return (outcome.ok ? firstSentence(outcome.value.text) : undefined) ?? fallback;
}
