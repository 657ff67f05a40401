import type { Recommendation } from '../core/types.js';
import { evidenceOf } from './candidates.js';
import { runPipeline } from './pipeline.js';
import type { PipelineStages } from './registry.js';
import type { RecommendContext } from './request-context.js';

export interface RecommendOutcome {
  items: Recommendation[];
  personalised: boolean;
  /** Set when a text query found fewer good matches than asked for (none, or only some). */
  notice?: string;
}

/**
 * A user's list: the pipeline's stages over the prepared request (see pipeline.ts and request-context.ts), plus
 * whether it is personal and, for a text query, what the answer says when few items matched.
 *
 * @example const { items, personalised } = await recommendForUser(stages, await buildRecommendContext(userId, opts, deps))
 */
export async function recommendForUser(stages: PipelineStages, ctx: RecommendContext): Promise<RecommendOutcome> {
  const { items, shown } = await runPipeline(stages, ctx);
  const outcome: RecommendOutcome = { items, personalised: ctx.row.indices.length > 0 };
  if (ctx.query) {
    const matched = shown.filter((c) => evidenceOf(c) === 'query').length;
    if (matched < ctx.count) outcome.notice = queryNotice(matched, outcome.personalised);
  }
  return outcome;
}

/**
 * What the answer says when a text query found fewer good matches than asked for.
 *
 * @example queryNotice(0, false) // 'Nothing matched your search well.'
 */
export function queryNotice(matched: number, personalised: boolean): string {
  const head = matched === 0 ? 'Nothing matched your search well' : `Only ${matched} ${matched === 1 ? 'item' : 'items'} matched your search well`;
  if (!personalised) return `${head}.`;
  return `${head}; ${matched === 0 ? 'these items' : 'the others'} follow your tastes instead.`;
}
