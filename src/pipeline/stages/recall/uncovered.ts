import type { Reason } from '../../../core/types.js';
import type { ModelBundle } from '../../../models/model-bundle.js';
import { hasItemCoverage, type Model } from '../../../models/model.js';
import { popularReason } from '../../evidence.js';
import type { RecommendContext } from '../../request-context.js';
import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';
import { semanticModelOf } from './semantic.js';

const NONE = new Int32Array(0);
/** Per trained main model: the trained items it cannot score (computed once; models are never mutated in place). */
const uncoveredByModel = new WeakMap<Model<object>, Int32Array>();

/**
 * The trained items the bundle's main model cannot score (its ItemCoverage capability: dense EASE's maxItems cap,
 * items without events or co-occurrences), ascending; empty for models that score every item.
 *
 * @example uncoveredItems(bundle).length // 88_612 for dense EASE capped at 10,000 of 98,612 items
 */
export function uncoveredItems(bundle: ModelBundle): Int32Array {
  const main = bundle.models.main;
  if (!hasItemCoverage(main)) return NONE;
  let items = uncoveredByModel.get(main);
  if (!items) {
    const covered = main.coveredItems();
    const out: number[] = [];
    for (let i = 0; i < bundle.trainedItems; i++) if (covered[i] !== 1) out.push(i);
    items = Int32Array.from(out);
    uncoveredByModel.set(main, items);
  }
  return items;
}

/** Content scores when a semantic model and a history are there to compare with; else popularity. */
function scorerOf(ctx: RecommendContext): 'semantic' | 'popular' {
  return semanticModelOf(ctx.bundle) && ctx.row.indices.length > 0 ? 'semantic' : 'popular';
}

/**
 * Stands in for the main model over the trained items it cannot score, so no part of the catalogue is silently left
 * out: those items ranked for the user by content (the semantic model) when it was trained, else by popularity. Fusion
 * gives what it finds a share of the list, as it does new items (config pipeline.coldItemShare), and the trace entry
 * (`uncovered:semantic` or `uncovered:popular`) counts the items it stood in for.
 *
 * @example await uncoveredChannel.run({ k: 10, signal }, ctx)
 */
export const uncoveredChannel: RecallChannel = {
  kind: 'recall',
  name: 'uncovered',
  applies: (ctx) => !ctx.query && ctx.cfRow.indices.length > 0 && ctx.bundle.models.main.name !== 'popular' && uncoveredItems(ctx.bundle).length > 0,
  traceName: (ctx) => `uncovered:${scorerOf(ctx)}`,
  uncovered: (ctx) => uncoveredItems(ctx.bundle).length,
  async run({ k }, ctx) {
    const items = uncoveredItems(ctx.bundle);
    const semantic = semanticModelOf(ctx.bundle);
    const scored = semantic && scorerOf(ctx) === 'semantic'
      ? semantic.recommend({ user: ctx.row, k, candidates: items.filter((i) => i < semantic.itemCount), exclude: ctx.blockedIndexes.all })
      : ctx.bundle.models.popular.recommend({ user: ctx.cfRow, k, candidates: items, exclude: ctx.blockedIndexes.trained });
    // a score of 0 is no evidence at all (no events, nothing alike): such items stay out rather than fill the list
    return fromScored('uncovered', scored.filter((s) => s.score > 0), ctx.bundle.items);
  },
  evidence: (ctx) => {
    const semantic = semanticModelOf(ctx.bundle);
    return semantic && scorerOf(ctx) === 'semantic' ? { model: semantic, user: ctx.row } : undefined;
  },
  reasons: (ctx, _item, score): Reason[] => scorerOf(ctx) === 'semantic'
    ? [{ kind: 'semantic', text: 'Close in content to what you like', evidence: [{ kind: 'channel', id: 'uncovered', value: score }] }]
    : [popularReason(score, ctx.bundle.models.popular.params, true)],
};
