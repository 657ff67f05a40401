import type { Candidate } from '../pipeline/candidates.js';
import type { RecommendContext } from '../pipeline/request-context.js';
import type { Stage } from '../pipeline/stage.js';
import { aboveFloor, budgetLeft, budgetNotice, floorNotice, shownInLastDay } from './budget.js';
import { dailyBudget, qualityFloor } from './care-strength.js';

/** Whether the daily budget acts on this request: it is on and the request is a known user's. */
function budgetOn(ctx: RecommendContext): boolean {
  return dailyBudget(ctx) > 0 && ctx.impressions !== undefined;
}

/**
 * Budgets against overload (issue 10), last of the re-rank stages. Quality floor: candidates whose fused score is
 * below care.qualityFloor (or the request's own) are dropped, never padded in. Daily budget: at most
 * care.dailyBudget (or the request's, user's or scenario's own) items shown to a user per rolling 24 h, counted from their impressions (read once by the request
 * context); a request past it gets the rest of the budget, or nothing. When either shortens the list, the answer's
 * notice says why (ctx.notices). Not run (nor traced) when both are off.
 *
 * @example const kept = await budgetStage.run(fused, ctx) // at most what is left of today's budget
 */
export const budgetStage: Stage<Candidate[], Candidate[], RecommendContext> = {
  kind: 'rerank',
  name: 'budget',
  applies: (ctx) => budgetOn(ctx) || qualityFloor(ctx) > 0,
  async run(candidates, ctx) {
    let out = candidates;
    const floor = qualityFloor(ctx);
    if (floor > 0) {
      const kept = aboveFloor(out, floor);
      if (kept.length < Math.min(ctx.count, out.length)) (ctx.notices ??= []).push(floorNotice(kept.length));
      out = kept;
    }
    if (budgetOn(ctx)) {
      const budget = dailyBudget(ctx);
      const left = budgetLeft(budget, shownInLastDay(ctx.impressions ?? [], ctx.clock.now()));
      if (left < Math.min(ctx.count, out.length)) {
        (ctx.notices ??= []).push(budgetNotice(budget, left));
        out = out.slice(0, left);
      }
    }
    return out;
  },
};
