import { keepAvailable } from '../candidates.js';
import type { RecommendContext } from '../request-context.js';
import type { Stage } from '../stage.js';
import type { Merged } from './merge.js';

/**
 * Keeps what may be shown: not excluded, consumed or disliked (ctx.blocked), still in the catalogue, not hidden, not
 * expired, and accepted by the request's business-rule predicate (ctx.keepItem) when there is one. Reads the item
 * records of all candidates in one store read and attaches them.
 *
 * @example const shown = await availabilityStage.run(merged, ctx)
 */
export const availabilityStage: Stage<Merged, Merged, RecommendContext> = {
  kind: 'filter',
  name: 'availability',
  async run(merged, ctx) {
    const candidates = await keepAvailable(ctx.store, merged.candidates, ctx.clock.now(), ctx.blocked, ctx.keepItem);
    return { ...merged, candidates };
  },
};
