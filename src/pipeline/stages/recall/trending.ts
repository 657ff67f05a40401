import type { Reason } from '../../../core/types.js';
import type { ModelBundle } from '../../../models/model-bundle.js';
import { TrendingModel } from '../../../models/trending/trending.js';
import type { RecommendContext } from '../../request-context.js';
import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';

const DAY_MS = 86_400_000;

/**
 * The bundle's trending model (trained when config turns the trending channel on).
 *
 * @example trendingModelOf(bundle)?.recommend({ user: 0, k: 20 })
 */
export function trendingModelOf(bundle: ModelBundle): TrendingModel | undefined {
  const m = bundle.models.trending;
  return m instanceof TrendingModel ? m : undefined;
}

/** 'this week' for 7 days, 'today' for 1, else 'in the last N days'. */
function windowWords(days: number): string {
  if (days === 7) return 'this week';
  if (days === 1) return 'today';
  return `in the last ${days} days`;
}

/**
 * The reason of a trending item. When the data's newest event lies within one window of now, it is "trending this
 * week"; when the data is older (an imported dataset), the reason names the days it rose in, never claiming it is now.
 *
 * @example trendingReason(model, 3, Date.parse('2024-03-10')) // { kind: 'trending', text: 'Trending this week: 12 people chose it' }
 */
export function trendingReason(model: TrendingModel, item: number, nowMs: number): Reason {
  const people = Math.round(model.recentCount(item));
  const { windowDays } = model.params;
  const chose = `${people} ${people === 1 ? 'person' : 'people'} chose it`;
  const end = new Date(model.reference).toISOString().slice(0, 10);
  const evidence = [{ kind: 'stat' as const, id: 'people', value: people, windowDays, label: `${windowDays} days up to ${end}` }];
  if (nowMs - model.reference <= windowDays * DAY_MS) return { kind: 'trending', text: `Trending ${windowWords(windowDays)}: ${chose}`, evidence };
  return { kind: 'trending', text: `Rising in the ${windowDays === 1 ? 'day' : `${windowDays} days`} up to ${end}, our latest activity: ${chose}`, evidence };
}

/**
 * Items rising most: the trending model's list (recent window vs the baseline rate before it, both ending at the
 * newest event in the training data; config pipeline.recall.trending.windowDays / baselineDays, applied at
 * training). The same for everyone, without the user's blocked items.
 *
 * @example await trendingChannel.run({ k: 20, signal }, ctx)
 */
export const trendingChannel: RecallChannel = {
  kind: 'recall',
  name: 'trending',
  applies: (ctx: RecommendContext) => !ctx.query && trendingModelOf(ctx.bundle) !== undefined,
  async run({ k }, ctx) {
    const model = trendingModelOf(ctx.bundle);
    if (!model) return [];
    return fromScored('trending', model.recommend({ user: ctx.cfRow, k, exclude: ctx.blockedIndexes.trained }), ctx.bundle.items);
  },
  evidence: () => undefined,
  reasons(ctx, item) {
    const model = trendingModelOf(ctx.bundle);
    return model ? [trendingReason(model, item, ctx.clock.now())] : [];
  },
};
