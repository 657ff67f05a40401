/**
 * Keywords for an item from its text, by a language model, as a clean list: lowercase, trimmed, de-duplicated,
 * short. An empty list on any failure (tags are an enrichment, never required).
 */
import type { LlmProvider } from '../llm.js';
import { runWithDeadline } from './deadline.js';
import { extractJson, firstJsonList } from './json-extract.js';
import { clipText } from './prompt-text.js';

export interface ExtractTagsRequest {
  title?: string;
  text: string;
  /** Most tags returned (default 8). */
  maxTags?: number;
  deadlineMs: number;
  signal?: AbortSignal;
}

/**
 * Normalises raw tags: strings only, lowercase, collapsed spaces, surrounding punctuation removed, at most 40
 * characters and 4 words, unique, at most `max`.
 *
 * @example cleanTags([' Space Opera!', 'space opera', 7], 5) // ['space opera']
 */
export function cleanTags(raw: unknown[], max: number): string[] {
  const out = new Set<string>();
  for (const entry of raw) {
    if (typeof entry !== 'string') continue;
    const tag = entry.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (!tag || tag.length > 40 || tag.split(' ').length > 4) continue;
    out.add(tag);
    if (out.size >= max) break;
  }
  return [...out];
}

/**
 * Asks the model for keywords describing the item.
 *
 * @example await extractTags(llm, { title: 'Alien', text: overview, deadlineMs: 2000 }) // ['space horror', 'alien', ...]
 */
export async function extractTags(provider: LlmProvider, req: ExtractTagsRequest): Promise<string[]> {
  const max = req.maxTags ?? 8;
  if (!req.text.trim() && !req.title?.trim()) return [];
  const prompt = [
    ...(req.title ? [`Title: ${clipText(req.title, 120)}`] : []),
    `Text: ${clipText(req.text, 1500)}`,
    '',
    `List up to ${max} short lowercase keywords (1-3 words each) describing the genre, themes and subject of this item.`,
    'Reply with JSON of the form {"tags": ["...", "..."]}.',
  ].join('\n');
  const outcome = await runWithDeadline(
    req.deadlineMs,
    (signal) => provider.complete({ system: 'You tag catalogue items for a recommender system. Answer with JSON only.', prompt, format: 'json', maxTokens: 20 + 10 * max, signal }),
    req.signal,
  );
  if (!outcome.ok) return [];
  const list = firstJsonList(extractJson(outcome.value.text), ['tags', 'keywords']);
  return list ? cleanTags(list, max) : [];
}
