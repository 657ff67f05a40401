import type { LlmProvider } from '../../providers/llm.js';
import { rerankWithLlm } from '../../providers/llm-tasks/rerank.js';
import { templateInterestSummary } from '../../providers/llm-tasks/summarise-interests.js';
import { loadItemMap, type Candidate } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';
import { Degraded, type Stage } from '../stage.js';

export interface LlmRerankOptions {
  provider: LlmProvider;
  /** Hard limit for the language model; past it the list keeps its order. */
  deadlineMs: number;
  /** How many of the best candidates the model may reorder. */
  top: number;
}

/**
 * Optional re-ranking of the head of the list by a language model, from a template summary of the user's recent
 * items (no extra model call). Acts only for a user with history when config llm.rerank is on (ctx.llm). It never
 * delays a response past the deadline: on timeout, error or an unusable answer the order is kept and the stage is
 * traced as degraded with the reason.
 *
 * @example const reordered = await llmRerankStage.run(ranked, ctx)
 */
export const llmRerankStage: Stage<Candidate[], Candidate[], RecommendContext> = {
  kind: 'rerank',
  name: 'llm-rerank',
  applies: (ctx) => !!ctx.llm && !!ctx.profile,
  async run(candidates, ctx) {
    const opts = ctx.llm;
    if (!opts || !ctx.profile) return candidates;
    const recent = [...(await loadItemMap(ctx.store, ctx.profile.recentItems.slice(0, 10))).values()];
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
    const reordered = [...result.ids.flatMap((id) => byId.get(id) ?? []), ...candidates.slice(opts.top)];
    return result.reranked ? reordered : new Degraded(reordered, result.reason ?? 'kept order');
  },
};
