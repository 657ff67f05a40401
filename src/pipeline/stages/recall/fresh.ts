import { channelSetting } from '../../../config/recall-channel-settings.js';
import { itemFactsFor, loadedItemFacts } from '../../item-facts.js';
import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';
import { semanticModelOf } from './semantic.js';

const DAY_MS = 86_400_000;

/**
 * New stock matched to the user by content: items published (item `createdAt`) within the last `windowDays` before
 * now (config pipeline.recall.fresh.windowDays), ranked by the semantic model's likeness to the user's history. It
 * differs from `cold-items`, which is about training, not publishing: cold-items finds items added since the last
 * training (whatever their createdAt) that would rank among the user's best by content; fresh finds recently
 * published items (trained or not) by their content alone, without that bar. An item can be both; merge keeps one
 * candidate with both channels' scores. Items without createdAt are never fresh.
 *
 * @example await freshChannel.run({ k: 15, signal }, ctx)
 */
export const freshChannel: RecallChannel = {
  kind: 'recall',
  name: 'fresh',
  applies: (ctx) => !ctx.query && !!semanticModelOf(ctx.bundle) && ctx.row.indices.length > 0,
  async run({ k }, ctx) {
    const model = semanticModelOf(ctx.bundle);
    if (!model) return [];
    const loaded = loadedItemFacts(ctx.bundle);
    const facts = loaded?.size === ctx.bundle.items.size ? loaded : await itemFactsFor(ctx.bundle, ctx.store);
    const since = ctx.clock.now() - channelSetting(ctx.config.pipeline.recall.fresh, 'windowDays') * DAY_MS;
    const { items, times } = facts.newest;
    let n = 0;
    while (n < times.length && times[n] >= since) n++;
    // The semantic model covers the items it has vectors for (trained, plus those added since with text).
    const fresh = items.subarray(0, n).filter((i) => i < model.itemCount);
    if (fresh.length === 0) return [];
    const scored = model.recommend({ user: ctx.row, k, candidates: fresh, exclude: ctx.blockedIndexes.all }).filter((s) => s.score > 0);
    return fromScored('fresh', scored, ctx.bundle.items);
  },
  evidence: (ctx) => {
    const model = semanticModelOf(ctx.bundle);
    return model ? { model, user: ctx.row } : undefined;
  },
};
