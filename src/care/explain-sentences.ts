import type { ItemId, Recommendation } from '../core/types.js';
import type { LlmProvider } from '../providers/llm.js';
import { runWithDeadline } from '../providers/llm-tasks/deadline.js';
import { firstSentence } from '../providers/llm-tasks/explain.js';
import { extractJson, firstJsonList } from '../providers/llm-tasks/json-extract.js';
import { clipText } from '../providers/llm-tasks/prompt-text.js';
import type { StageTrace } from '../pipeline/stage.js';

/** What one `explain=true` request gives the sentence writer. */
export interface SentenceRequest {
  /** Undefined when config llm.provider is none: the flag then does nothing. */
  provider: LlmProvider | undefined;
  /** Hard limit for the one call (config llm.deadlineMs). */
  deadlineMs: number;
  signal?: AbortSignal;
  /** The request's trace: the step appends its entry ('llm-explain'), degraded on timeout, error or an unusable answer. */
  trace: StageTrace[];
}

const SYSTEM = 'You write one short, friendly sentence per recommended item telling the user why it was recommended. Use only the reasons given; never invent facts. Answer with JSON only.';

/**
 * The prompt: each item's id, title and its structured reasons' texts, nothing else. The reasons already show what
 * of the user's history they rest on (titles of items they chose), so no raw event reaches the model.
 */
function prompt(items: Recommendation[]): string {
  const lines = items.map((r) => `- id ${JSON.stringify(r.itemId)}: ${clipText(r.title, 120) || '(untitled)'}; reasons: ${r.reasons.map((x) => clipText(x.text, 160)).join('; ')}`);
  return [
    'Recommended items:',
    ...lines,
    '',
    'For each item write one sentence of at most 25 words, from its reasons only.',
    'Reply with JSON of the form {"sentences": [{"id": "<id>", "sentence": "..."}]}.',
  ].join('\n');
}

/**
 * The sentences of a model's answer by item id (first sentence of each, known ids only).
 *
 * @example sentencesFromAnswer('{"sentences": [{"id": "a", "sentence": "You liked Alien."}]}', ['a']) // Map { 'a' => 'You liked Alien.' }
 */
export function sentencesFromAnswer(answer: string, ids: readonly ItemId[]): Map<ItemId, string> {
  const known = new Set(ids);
  const out = new Map<ItemId, string>();
  for (const entry of firstJsonList(extractJson(answer), ['sentences']) ?? []) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, sentence } = entry as { id?: unknown; sentence?: unknown };
    const text = typeof sentence === 'string' ? firstSentence(sentence) : undefined;
    if ((typeof id === 'string' || typeof id === 'number') && known.has(String(id)) && text) out.set(String(id), text);
  }
  return out;
}

/**
 * `explain=true`: one LLM call for the whole list, built from the structured reasons, under the deadline; each item
 * the answer covers gets `explanation`. On timeout, error or an unusable answer the items come back as they were and
 * the trace entry says degraded. Without a provider, or for an empty list, nothing happens and nothing is traced.
 *
 * @example const items = await explainInSentences(result.items, { provider, deadlineMs: 1500, trace })
 */
export async function explainInSentences(items: Recommendation[], req: SentenceRequest): Promise<Recommendation[]> {
  const { provider } = req;
  if (!provider || items.length === 0) return items;
  const t0 = performance.now();
  const maxTokens = 40 * items.length + 24;
  const outcome = await runWithDeadline(
    req.deadlineMs,
    (signal) => provider.complete({ system: SYSTEM, prompt: prompt(items), format: 'json', maxTokens, signal }),
    req.signal,
  );
  const sentences = outcome.ok ? sentencesFromAnswer(outcome.value.text, items.map((r) => r.itemId)) : new Map<ItemId, string>();
  const degraded = !outcome.ok ? outcome.reason : sentences.size === 0 ? 'unparseable' : undefined;
  req.trace.push({
    stage: 'llm-explain', kind: 'explain', ms: performance.now() - t0, candidatesIn: items.length, candidatesOut: sentences.size,
    ...(degraded ? { degraded } : {}),
  });
  return items.map((r) => {
    const explanation = sentences.get(r.itemId);
    return explanation ? { ...r, explanation } : r;
  });
}
