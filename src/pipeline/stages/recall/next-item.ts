import type { ModelBundle } from '../../../models/model-bundle.js';
import type { Model } from '../../../models/model.js';
import { isNextItemModel } from '../../../models/registry.js';
import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';

/**
 * The bundle's next-item model: the main model when it is one (sequential, transformer), else the sequential model
 * trained for this channel.
 *
 * @example sequentialModelOf(bundle)?.recommend({ user: ctx.cfRow, k: 10 })
 */
export function sequentialModelOf(bundle: ModelBundle): Model<object> | undefined {
  return isNextItemModel(bundle.models.main.name) ? bundle.models.main : bundle.models.sequential;
}

/**
 * What comes next: the sequential model (src/models/sequential), or the transformer when it is the main model, seeded by the user's latest distinct items of the
 * live history (config pipeline.recall.next-item.lastEvents, fixed at training as the model's `recent`), so an event
 * counts on the next request. Its model is trained beside the main one when the channel is configured; a bundle
 * without it (trained before the channel was turned on) skips the channel until the next training.
 *
 * @example await nextItemChannel.run({ k: 30, signal }, ctx)
 */
export const nextItemChannel: RecallChannel = {
  kind: 'recall',
  name: 'next-item',
  applies: (ctx) => !ctx.query && ctx.cfRow.indices.length > 0 && sequentialModelOf(ctx.bundle) !== undefined,
  async run({ k }, ctx) {
    const model = sequentialModelOf(ctx.bundle);
    if (!model) return [];
    return fromScored('next-item', model.recommend({ user: ctx.cfRow, k, exclude: ctx.blockedIndexes.trained }), ctx.bundle.items);
  },
  evidence: (ctx) => {
    const model = sequentialModelOf(ctx.bundle);
    return model ? { model, user: ctx.cfRow } : undefined;
  },
};
