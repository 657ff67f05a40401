import type { KindredConfig } from '../config/config.js';
import { channelSetting } from '../config/recall-channel-settings.js';
import type { InteractionMatrix } from '../core/interactions.js';
import type { FitContext, Model } from '../models/model.js';
import { createModel, isNextItemModel } from '../models/registry.js';
import type { ModelRole } from '../models/model-bundle.js';

/**
 * Fits the models that only recall channels read, for the channels config `pipeline.recall` turns on: `sequential`
 * for next-item (transitions only; unless the main model is already a next-item model: sequential or transformer) and `trending` (its windows from the channel's
 * settings). A channel turned on later finds its role missing and does not apply until the next training.
 *
 * @example const extra = await fitChannelModels(data, config, 'itemknn', ctx) // { trending: TrendingModel }
 */
export async function fitChannelModels(
  data: InteractionMatrix, config: KindredConfig, mainModel: string, ctx: FitContext,
): Promise<Partial<Record<ModelRole, Model<object>>>> {
  const recall = config.pipeline.recall;
  const out: Partial<Record<ModelRole, Model<object>>> = {};
  const quiet = { ...ctx, onProgress: undefined };
  if (recall['next-item'] && !isNextItemModel(mainModel)) {
    // Transitions only: order-free co-occurrence is what item-to-item recalls, so the channels stay distinct.
    const sequential = createModel('sequential', { recent: channelSetting(recall['next-item'], 'lastEvents'), cooccurrence: 0 });
    await sequential.fit(data, quiet);
    out.sequential = sequential;
  }
  if (recall.trending && data.times) {
    const trending = createModel('trending', {
      windowDays: channelSetting(recall.trending, 'windowDays'), baselineDays: channelSetting(recall.trending, 'baselineDays'),
    });
    await trending.fit(data, quiet);
    out.trending = trending;
  }
  return out;
}
