import { createRequire } from 'node:module';
import type WinkNlp from 'wink-nlp';

/**
 * Review sentiment from text with wink-nlp's English lite model (a lexicon with negation handling, emoji and
 * emoticons): a score in −1..1, or undefined ("unknown", no signal) where the English model cannot read the text.
 * wink is loaded on the first score, never at import (about 150 ms once).
 */

/** Characters scored of one text: the head of a very long text says enough, and the cost stays bounded (~2 ms). */
export const MAX_SCORED_CHARS = 4_000;

/** A text is read as English-model text when at least this share of its letters is Latin script. */
const LATIN_SHARE = 0.5;

interface WinkReader {
  score(text: string): number;
}

let reader: WinkReader | undefined;

/** Loads wink synchronously on first use (it is CommonJS), so profile building can stay synchronous. */
function winkReader(): WinkReader {
  if (reader) return reader;
  const require = createRequire(import.meta.url);
  const winkNLP = require('wink-nlp') as typeof WinkNlp;
  const model = require('wink-eng-lite-web-model') as Parameters<typeof WinkNlp>[0];
  // Sentence boundaries and negation are what the sentiment of "not good" needs; nothing else runs.
  const nlp = winkNLP(model, ['sbd', 'negation', 'sentiment']);
  const its = nlp.its;
  reader = { score: (text) => nlp.readDoc(text).out(its.sentiment) as unknown as number };
  return reader;
}

/** What the built-in path can do with a text: score it with the English model, or nothing ("unknown"). */
export type TextReadability = 'english-model' | 'unknown';

/**
 * Whether the English model can read the text, by Unicode script: letters mostly Latin, or no letters but emoji or
 * emoticons (the model reads those). CJK, Cyrillic, Arabic and other scripts are unknown, as is empty text.
 *
 * @example readability('这个产品很好') // 'unknown'
 */
export function readability(text: string): TextReadability {
  let letters = 0;
  let latin = 0;
  for (const ch of text.slice(0, MAX_SCORED_CHARS)) {
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    if (/\p{Script=Latin}/u.test(ch)) latin++;
  }
  if (letters > 0) return latin / letters >= LATIN_SHARE ? 'english-model' : 'unknown';
  return /\p{Extended_Pictographic}|[:;]-?[()DP]/u.test(text) ? 'english-model' : 'unknown';
}

let winkScores = 0;

/**
 * How many texts this process has given wink to score: what keeping the score with the event saves (tests, metrics).
 *
 * @example const before = winkScoreCount(); textSentiment('Love it'); winkScoreCount() - before // 1
 */
export function winkScoreCount(): number {
  return winkScores;
}

/**
 * The sentiment of one review or comment in −1 (very negative) .. 1 (very positive), or undefined when there is no
 * signal: empty text, or a script the English model does not read (detected by Unicode script; e.g. Chinese and
 * Japanese). Other Latin-script languages are read as English and mostly score near 0. Never throws.
 *
 * @example textSentiment('Broke after two days, a waste of money.') // about −0.7
 */
export function textSentiment(text: string | undefined): number | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  if (readability(text) === 'unknown') return undefined;
  try {
    winkScores++;
    const score = winkReader().score(text.slice(0, MAX_SCORED_CHARS));
    return Number.isFinite(score) ? Math.max(-1, Math.min(1, score)) : undefined;
  } catch {
    return undefined; // a model failure on odd input is no signal, never a failed request
  }
}

/** How many scores each memo keeps (about 80 bytes each with the key). */
const MEMO_SIZE = 200_000;
const memo = new Map<string, number | null>();
/** Scores the language model gave texts the English model cannot read (llm-sentiment.ts); null = no answer. */
const llmMemo = new Map<string, number | null>();

function remember(into: Map<string, number | null>, id: string, score: number | undefined): void {
  if (into.size >= MEMO_SIZE) into.delete(into.keys().next().value as string); // oldest first: Map keeps insertion order
  into.set(id, score ?? null);
}

/**
 * The sentiment of a stored event's text: the score stored with the event first (set when it was written, see
 * scored-events.ts), else the memo by event id (event ids are idempotent: one id, one text), else wink now (kept in
 * the memo; events stored before SQLite migration 6 take this path once per process). Undefined without text or signal.
 *
 * @example eventSentiment({ id: 'e1', text: 'Love it' }) // 0.5
 * @example eventSentiment({ id: 'e1', text: 'Love it', sentiment: 0.5 }) // 0.5, without wink
 */
export function eventSentiment(e: { id?: string; text?: string; sentiment?: number }): number | undefined {
  if (e.text === undefined || e.text === '') return undefined;
  if (e.sentiment !== undefined) return e.sentiment;
  if (e.id === undefined) return textSentiment(e.text);
  const byLlm = llmMemo.get(e.id);
  if (byLlm !== undefined) return byLlm ?? undefined;
  const known = memo.get(e.id);
  if (known !== undefined) return known ?? undefined;
  const score = textSentiment(e.text);
  remember(memo, e.id, score);
  return score;
}

/**
 * The wink scores this process computed for events that were read without a stored one (stored before SQLite
 * migration 6), to be written back with `store.setEventSentiments`, so each such text is scored once per store rather
 * than once per process. Texts without signal and scores from the language model are not returned.
 *
 * @example unstoredSentiments(history) // [{ id: 'e1', sentiment: -0.6 }]
 */
export function unstoredSentiments(events: ReadonlyArray<{ id: string; text?: string; sentiment?: number }>): Array<{ id: string; sentiment: number }> {
  const out: Array<{ id: string; sentiment: number }> = [];
  for (const e of events) {
    if (!e.text || e.sentiment !== undefined) continue;
    const score = memo.get(e.id);
    if (typeof score === 'number') out.push({ id: e.id, sentiment: score });
  }
  return out;
}

/**
 * Whether the event has text the English model cannot read (by Unicode script) and the language model has not been
 * asked about yet (care/llm-sentiment.ts).
 *
 * @example needsLlmSentiment({ id: 'e1', text: '很好' }) // true
 */
export function needsLlmSentiment(e: { id: string; text?: string }): boolean {
  return typeof e.text === 'string' && e.text.trim() !== '' && !llmMemo.has(e.id) && readability(e.text) === 'unknown';
}

/**
 * Keeps the language model's score of an event's text (undefined = it gave none: no signal, not asked again).
 *
 * @example rememberLlmSentiment('e1', -0.8)
 */
export function rememberLlmSentiment(id: string, score: number | undefined): void {
  remember(llmMemo, id, score === undefined ? undefined : Math.max(-1, Math.min(1, score)));
}
