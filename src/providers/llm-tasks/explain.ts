/**
 * One-sentence explanations written by a language model ("Because you enjoy heist thrillers, ..."), bounded by a
 * deadline. Undefined on any failure: callers keep their rule-based reasons.
 */
import type { LlmProvider } from '../llm.js';
import { runWithDeadline } from './deadline.js';
import { clipText } from './prompt-text.js';

export interface ExplainRequest {
  userSummary: string;
  item: { id: string; title?: string; text?: string };
  /** Rule-based reasons already known (e.g. "similar to Alien"), to ground the sentence. */
  reasons?: string[];
  deadlineMs: number;
  signal?: AbortSignal;
}

const SYSTEM = 'You write one short, friendly sentence telling a user why an item was recommended to them. Never invent facts.';
const MAX_CHARS = 240;

/**
 * The first sentence of a model's answer, without quotes or a "Reason:" style label; undefined when empty.
 *
 * @example firstSentence('"Because you like space. Also..."') // 'Because you like space.'
 */
export function firstSentence(answer: string): string | undefined {
  const flat = answer.replace(/\s+/g, ' ').trim().replace(/^[\w ]{1,20}:\s+/, '').replace(/^["'“”]+|["'“”]+$/g, '').trim();
  const sentence = (/^.*?[.!?](?=\s|$)/.exec(flat)?.[0] ?? flat).trim();
  if (!sentence) return undefined;
  return sentence.length > MAX_CHARS ? clipText(sentence, MAX_CHARS) : sentence;
}

/**
 * Asks the model for one explanatory sentence within the deadline.
 *
 * @example const why = await explainWithLlm(llm, { userSummary, item: { id: 'm1', title: 'Alien' }, deadlineMs: 800 });
 */
export async function explainWithLlm(provider: LlmProvider, req: ExplainRequest): Promise<string | undefined> {
  const prompt = [
    `User interests: ${clipText(req.userSummary, 400)}`,
    `Item: ${clipText(req.item.title, 120) || '(untitled)'}${req.item.text ? ` — ${clipText(req.item.text, 300)}` : ''}`,
    ...(req.reasons?.length ? [`Known reasons: ${req.reasons.map((r) => clipText(r, 100)).join('; ')}`] : []),
    '',
    'In one sentence of at most 25 words, tell the user why they may like this item.',
  ].join('\n');
  const outcome = await runWithDeadline(req.deadlineMs, (signal) => provider.complete({ system: SYSTEM, prompt, format: 'text', maxTokens: 60, signal }), req.signal);
  return outcome.ok ? firstSentence(outcome.value.text) : undefined;
}
