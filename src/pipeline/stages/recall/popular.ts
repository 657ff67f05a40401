import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';

/**
 * The most chosen items (decayed by popular.halfLifeDays when set): the list of a user without history, the
 * fallback when the main model's channel fails, and the filler when it finds too few.
 *
 * @example await popularChannel.run({ k: 40, signal }, ctx)
 */
export const popularChannel: RecallChannel = {
  kind: 'recall',
  name: 'popular',
  applies: (ctx) => !ctx.query,
  async run({ k }, ctx) {
    const scored = ctx.bundle.models.popular.recommend({ user: ctx.cfRow, k, exclude: ctx.blockedIndexes.trained });
    return fromScored('popular', scored, ctx.bundle.items);
  },
  evidence: (ctx) => ({ model: ctx.bundle.models.popular, user: ctx.cfRow }),
};
