import type { KindredConfig } from '../config/config.js';
import type { InteractionMatrix } from '../core/interactions.js';
import { hasSimilarItems, type FitContext, type Model } from '../models/model.js';
import { createModel } from '../models/registry.js';
import { fitChannelModels } from './channel-models.js';
import type { ModelRole } from '../models/model-bundle.js';

/**
 * The models other stages read beside the main one: item-kNN for "similar items" when the main model cannot answer
 * it (item-to-item recall reads it too), and the models of the recall channels config turns on (channel-models.ts).
 *
 * @example Object.assign(models, await fitSupportModels(data, config, main, ctx))
 */
export async function fitSupportModels(data: InteractionMatrix, config: KindredConfig, main: Model<object>, ctx: FitContext): Promise<Partial<Record<ModelRole, Model<object>>>> {
  const out: Partial<Record<ModelRole, Model<object>>> = {};
  if (!hasSimilarItems(main)) {
    const similar: Model<object> = createModel('itemknn', {});
    await similar.fit(data, { ...ctx, onProgress: undefined });
    out.similar = similar;
  }
  return { ...out, ...(await fitChannelModels(data, config, main.name, ctx)) };
}

