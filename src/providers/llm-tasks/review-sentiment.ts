/**
 * The sentiment of review texts in any language, by a language model, for the texts the built-in English model
 * cannot read (care/sentiment.ts). One call for a batch, under one deadline; a text the model does not answer for
 * (or any failure) gets no score.
 */
import type { LlmProvider } from '../llm.js';
import { runWithDeadline } from './deadline.js';
import { extractJson, firstJsonList } from './json-extract.js';
import { clipText } from './prompt-text.js';

export interface ReviewSentimentRequest {
  texts: string[];
  deadlineMs: number;
  signal?: AbortSignal;
}

/** Characters of each text sent to the model. */
const MAX_TEXT = 600;

/**
 * The model's answer as one score per text (−1..1, clamped), undefined where it gave none or a non-number.
 *
 * @example readScores({ reviews: [{ n: 1, sentiment: -0.8 }] }, 2) // [-0.8, undefined]
 */
export function readScores(answer: unknown, count: number): Array<number | undefined> {
  const out: Array<number | undefined> = new Array<number | undefined>(count).fill(undefined);
  for (const entry of firstJsonList(answer, ['reviews', 'results']) ?? []) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { n, sentiment } = entry as { n?: unknown; sentiment?: unknown };
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > count) continue;
    if (typeof sentiment !== 'number' || !Number.isFinite(sentiment)) continue;
    out[n - 1] = Math.max(-1, Math.min(1, sentiment));
  }
  return out;
}

/**
 * Asks the model how positive or negative each text is, from −1 to 1; one entry per text, undefined where it could
 * not say in time.
 *
 * @example await reviewSentiments(llm, { texts: ['这个吉他太糟糕了'], deadlineMs: 1500 }) // [-0.8]
 */
export async function reviewSentiments(provider: LlmProvider, req: ReviewSentimentRequest): Promise<Array<number | undefined>> {
  if (req.texts.length === 0) return [];
  const prompt = [
    ...req.texts.map((t, i) => `${i + 1}. ${clipText(t, MAX_TEXT)}`),
    '',
    'For each numbered review or comment above (any language), rate how negative or positive its author feels, from -1 (very negative) to 1 (very positive).',
    'Reply with JSON of the form {"reviews": [{"n": 1, "sentiment": -0.5}]}.',
  ].join('\n');
  const outcome = await runWithDeadline(
    req.deadlineMs,
    (signal) => provider.complete({ system: 'You read the sentiment of short user texts for a recommender system. Answer with JSON only.', prompt, format: 'json', maxTokens: 20 + 16 * req.texts.length, signal }),
    req.signal,
  );
  if (!outcome.ok) return new Array<number | undefined>(req.texts.length).fill(undefined);
  return readScores(extractJson(outcome.value.text), req.texts.length);
}
