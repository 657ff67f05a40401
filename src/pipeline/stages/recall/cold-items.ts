import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';
import { scoreByContent, semanticModelOf } from './semantic.js';

/**
 * Items added since the last training that would rank among the user's best by content (see scoreByContent):
 * fusion gives them a share of the list (config pipeline.coldItemShare).
 *
 * @example await coldItemsChannel.run({ k: 10, signal }, ctx)
 */
export const coldItemsChannel: RecallChannel = {
  kind: 'recall',
  name: 'cold-items',
  applies: (ctx) => !ctx.query && !!semanticModelOf(ctx.bundle) && ctx.row.indices.length > 0 && ctx.bundle.items.size > ctx.bundle.trainedItems,
  async run({ k }, ctx) {
    const model = semanticModelOf(ctx.bundle);
    if (!model) return [];
    return fromScored('cold-items', scoreByContent(ctx.bundle, model, ctx.row, k, ctx.blockedIndexes.all, true), ctx.bundle.items);
  },
  evidence: (ctx) => {
    const model = semanticModelOf(ctx.bundle);
    return model ? { model, user: ctx.row } : undefined;
  },
};
