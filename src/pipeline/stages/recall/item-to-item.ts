import { channelSetting } from '../../../config/recall-channel-settings.js';
import type { Scored } from '../../../core/types.js';
import type { ModelBundle } from '../../../models/model-bundle.js';
import { hasSimilarItems, type Contribution, type Model, type SimilarItems } from '../../../models/model.js';
import type { RecommendContext } from '../../request-context.js';
import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';

/** Weight of the m-th most recent seed item (0 = latest): RECENCY_DECAY^m, so the latest event leads. */
export const RECENCY_DECAY = 0.8;

/** How many neighbours per seed are searched to explain an item that came from a cached list (no recall this request). */
const EXPLAIN_DEPTH = 100;

type SimilarModel = Model<object> & SimilarItems;

/**
 * The item-to-item likeness the bundle has: the item-kNN trained beside the main model, else the main model's own.
 *
 * @example similarModelOf(bundle)?.similarItems(12, 10)
 */
export function similarModelOf(bundle: ModelBundle): SimilarModel | undefined {
  const similar = bundle.models.similar;
  if (similar && hasSimilarItems(similar)) return similar;
  return hasSimilarItems(bundle.models.main) ? bundle.models.main : undefined;
}

/**
 * The user's latest distinct trained items, most recent first, at most `n` (from the live profile, so an event
 * counts on the next request).
 *
 * @example recentSeeds(ctx, 10) // [412, 17, 90]
 */
export function recentSeeds(ctx: RecommendContext, n: number): number[] {
  const out: number[] = [];
  for (const id of ctx.profile?.recentItems ?? []) {
    const index = ctx.bundle.items.indexOf(id);
    if (index !== undefined && index < ctx.bundle.trainedItems) out.push(index);
    if (out.length >= n) break;
  }
  return out;
}

/** One recalled item: its summed score and every seed's share, largest first. */
interface Neighbour {
  score: number;
  from: Contribution[];
}

/**
 * Σ over seeds of RECENCY_DECAY^m × likeness(seed_m, item), each seed asked for its `perSeed` nearest items; blocked
 * items and the seeds themselves are left out.
 */
function neighbours(model: SimilarModel, seeds: number[], perSeed: number, blocked: ReadonlySet<number>): Map<number, Neighbour> {
  const found = new Map<number, Neighbour>();
  const isSeed = new Set(seeds);
  seeds.forEach((seed, m) => {
    const w = Math.pow(RECENCY_DECAY, m);
    for (const s of model.similarItems(seed, perSeed)) {
      if (s.score <= 0 || isSeed.has(s.index) || blocked.has(s.index)) continue;
      const n = found.get(s.index) ?? { score: 0, from: [] };
      n.score += w * s.score;
      n.from.push({ item: seed, weight: w * s.score });
      found.set(s.index, n);
    }
  });
  return found;
}

// One neighbour search per request, shared by recall and the reasons of the shown items.
const memo = new WeakMap<RecommendContext, { k: number; found: Map<number, Neighbour> }>();

function neighboursFor(ctx: RecommendContext, k: number): Map<number, Neighbour> {
  const seen = memo.get(ctx);
  if (seen && seen.k >= k) return seen.found;
  const model = similarModelOf(ctx.bundle);
  const seeds = recentSeeds(ctx, channelSetting(ctx.config.pipeline.recall['item-to-item'], 'lastEvents'));
  const found = model ? neighbours(model, seeds, k, new Set(ctx.blockedIndexes.trained)) : new Map<number, Neighbour>();
  memo.set(ctx, { k, found });
  return found;
}

/**
 * Items like the user's latest events: the neighbours (SimilarItems) of each of the last `lastEvents` distinct items
 * (config pipeline.recall.item-to-item.lastEvents, default 10), weighted by recency (RECENCY_DECAY per step back) and
 * summed. Each item's evidence names the history items it is a neighbour of, the strongest first.
 *
 * @example await itemToItemChannel.run({ k: 30, signal }, ctx)
 */
export const itemToItemChannel: RecallChannel = {
  kind: 'recall',
  name: 'item-to-item',
  applies: (ctx) => !ctx.query && ctx.cfRow.indices.length > 0 && similarModelOf(ctx.bundle) !== undefined,
  async run({ k }, ctx) {
    const ranked: Scored[] = [...neighboursFor(ctx, k)]
      .map(([index, n]) => ({ index, score: n.score }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, k);
    return fromScored('item-to-item', ranked, ctx.bundle.items);
  },
  evidence: () => undefined,
  because(ctx, item) {
    const n = (memo.get(ctx)?.found ?? neighboursFor(ctx, EXPLAIN_DEPTH)).get(item);
    return n ? [...n.from].sort((a, b) => b.weight - a.weight || a.item - b.item) : [];
  },
};
