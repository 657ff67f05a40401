/**
 * Re-ranking candidates with a language model. The model sees a short summary of the user's interests and the
 * candidates' titles and texts, and answers with a JSON list of ids. Any failure (deadline, error, unusable
 * answer) returns the original order, so this step can only improve a list, never lose one.
 */
import type { ItemId } from '../../core/types.js';
import type { LlmProvider } from '../llm.js';
import { runWithDeadline } from './deadline.js';
import { extractJson, firstJsonList } from './json-extract.js';
import { clipText } from './prompt-text.js';

export interface RerankCandidate {
  id: ItemId;
  title?: string;
  text?: string;
}

export interface RerankRequest {
  /** A short readable summary of the user's interests (see summariseInterests). */
  userSummary: string;
  /** Candidates in their current order. */
  candidates: RerankCandidate[];
  /** Hard limit for the whole call, in milliseconds. */
  deadlineMs: number;
  /** Candidates shown to the model (default 30); the rest keep their order after the re-ranked head. */
  maxCandidates?: number;
  /** Characters of each candidate's text in the prompt (default 200). */
  maxTextChars?: number;
  signal?: AbortSignal;
}

export type RerankFallbackReason = 'deadline' | 'cancelled' | 'error' | 'unparseable';

export interface RerankResult {
  /** Every candidate id exactly once. */
  ids: ItemId[];
  /** False when the original order was returned; `reason` says why (for the request trace). */
  reranked: boolean;
  reason?: RerankFallbackReason;
}

const SYSTEM = 'You re-rank recommendation candidates for one user. Answer with JSON only.';

function prompt(req: RerankRequest, shown: RerankCandidate[]): string {
  const maxText = req.maxTextChars ?? 200;
  const lines = shown.map((c) => `- id ${JSON.stringify(c.id)}: ${clipText(c.title, 120) || '(untitled)'}${c.text ? ` — ${clipText(c.text, maxText)}` : ''}`);
  return [
    `User interests: ${clipText(req.userSummary, 600)}`,
    '',
    'Candidates:',
    ...lines,
    '',
    'Order the candidates from best to worst match for this user.',
    'Reply with JSON of the form {"ranking": ["<id>", ...]} listing every candidate id exactly once.',
  ].join('\n');
}

/**
 * The model's order over `shown`: known ids in the model's order (duplicates and unknown ids dropped), then the
 * ones it left out in their original order. Undefined when the answer names no known id.
 *
 * @example orderFromAnswer('{"ranking": ["b"]}', ['a', 'b', 'c']) // ['b', 'a', 'c']
 */
export function orderFromAnswer(answer: string, shownIds: readonly ItemId[]): ItemId[] | undefined {
  const list = firstJsonList(extractJson(answer), ['ranking', 'order', 'ids']);
  if (!list) return undefined;
  const known = new Set(shownIds);
  const seen = new Set<ItemId>();
  for (const entry of list) {
    const raw = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : entry;
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const id = String(raw);
    if (known.has(id)) seen.add(id);
  }
  if (seen.size === 0) return undefined;
  return [...seen, ...shownIds.filter((id) => !seen.has(id))];
}

/**
 * Re-ranks candidates with the LLM within the deadline; falls back to the original order.
 *
 * @example const { ids } = await rerankWithLlm(llm, { userSummary: 'Enjoys space operas', candidates, deadlineMs: 1500 });
 */
export async function rerankWithLlm(provider: LlmProvider, req: RerankRequest): Promise<RerankResult> {
  const original = req.candidates.map((c) => c.id);
  if (req.candidates.length < 2) return { ids: original, reranked: false };
  const shown = req.candidates.slice(0, req.maxCandidates ?? 30);
  const shownIds = shown.map((c) => c.id);
  // Room for the whole list: ~3 characters per token for ids, plus quotes, commas and the wrapper.
  const maxTokens = 24 + shownIds.reduce((n, id) => n + Math.ceil(id.length / 3) + 4, 0);
  const outcome = await runWithDeadline(
    req.deadlineMs,
    (signal) => provider.complete({ system: SYSTEM, prompt: prompt(req, shown), format: 'json', maxTokens, signal }),
    req.signal,
  );
  if (!outcome.ok) return { ids: original, reranked: false, reason: outcome.reason };
  const head = orderFromAnswer(outcome.value.text, shownIds);
  if (!head) return { ids: original, reranked: false, reason: 'unparseable' };
  return { ids: [...head, ...original.slice(shown.length)], reranked: true };
}
