import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';
import { shortTermPicks, withShortTermSlot } from './short-term-slot.js';

/**
 * What the main model's evidence is, for the reasons: a hybrid, a content model, popularity, or collaborative.
 *
 * @example cfEvidenceKind('ease') // 'cf'
 */
export function cfEvidenceKind(model: string): string {
  if (model === 'popular' || model === 'semantic' || model === 'hybrid') return model;
  return 'cf';
}

/**
 * The main model (config train.model) folds in the user's live history row over the trained items. A popular main
 * model recommends through the bundle's popularity model, and its reasons say so. With config
 * interests.shortTermSlot on, the last item of the visible list goes to the model's best item for the user's newest
 * events (the short-term row, interests.shortTermEvents) when the whole history did not already place it higher, so
 * one new like shows in the next list (see docs/interests.md, "Short-term weight").
 *
 * @example await cfChannel.run({ k: 40, signal }, ctx)
 */
export const cfChannel: RecallChannel = {
  kind: 'recall',
  name: 'cf',
  applies: (ctx) => !ctx.query && ctx.cfRow.indices.length > 0,
  traceName: (ctx) => `cf:${ctx.bundle.models.main.name}`,
  async run({ k }, ctx) {
    const { bundle } = ctx;
    const model = bundle.models.main.name === 'popular' ? bundle.models.popular : bundle.models.main;
    const scored = model.recommend({ user: ctx.cfRow, k, exclude: ctx.blockedIndexes.trained });
    const slot = model === bundle.models.main ? Math.min(ctx.count, k) : 0;
    const recent = slot > 0 ? shortTermPicks(ctx).slice(0, slot) : [];
    return fromScored('cf', withShortTermSlot(scored, recent, slot), bundle.items, cfEvidenceKind(bundle.models.main.name));
  },
  evidence: (ctx) => ({ model: ctx.bundle.models.main.name === 'popular' ? ctx.bundle.models.popular : ctx.bundle.models.main, user: ctx.cfRow }),
};
