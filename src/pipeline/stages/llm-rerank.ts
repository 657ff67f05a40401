import type { Item } from '../../core/types.js';
import type { LlmProvider } from '../../providers/llm.js';
import { rerankWithLlm } from '../../providers/llm-tasks/rerank.js';
import { templateInterestSummary } from '../../providers/llm-tasks/summarise-interests.js';
import type { Candidate } from '../candidates.js';
import type { RequestContext } from '../stage.js';

export interface LlmRerankOptions {
  provider: LlmProvider;
  /** Hard limit for the language model; past it the list keeps its order. */
  deadlineMs: number;
  /** How many of the best candidates the model may reorder. */
  top: number;
}

/**
 * Optional re-ranking of the head of the list by a language model, from a template summary of the user's recent
 * items (no extra model call). It never delays a response past the deadline: on timeout, error or an unusable answer
 * the order is kept and the trace says why.
 *
 * @example const reordered = await llmRerank(kept, recentItems, { provider, deadlineMs: 1500, top: 20 }, ctx)
 */
export async function llmRerank(candidates: Candidate[], recent: Item[], opts: LlmRerankOptions, ctx: RequestContext): Promise<Candidate[]> {
  const t0 = performance.now();
  const head = candidates.slice(0, opts.top);
  const tags = recent.flatMap((it) => [...(it.categories ?? []), ...(it.tags ?? [])]);
  const userSummary = templateInterestSummary(tags, recent.map((it) => it.title ?? '').filter(Boolean));
  const result = await rerankWithLlm(opts.provider, {
    userSummary,
    candidates: head.map((c) => ({ id: c.itemId, title: c.item?.title, text: c.item?.text })),
    deadlineMs: opts.deadlineMs,
    signal: ctx.signal,
  });
  const byId = new Map(head.map((c) => [c.itemId, c]));
  const reordered = result.ids.flatMap((id) => byId.get(id) ?? []);
  ctx.trace.push({
    stage: 'llm-rerank', kind: 'rerank', ms: performance.now() - t0, candidatesIn: head.length, candidatesOut: reordered.length,
    ...(result.reranked ? {} : { degraded: result.reason ?? 'kept order' }),
  });
  return [...reordered, ...candidates.slice(opts.top)];
}
