import { emptyRow } from '../core/sparse.js';
import type { ItemId, Reason, Recommendation } from '../core/types.js';
import type { ModelBundle } from '../jobs/model-bundle.js';
import { hasSimilarItems, type Model, type SimilarItems } from '../models/model.js';
import { semanticModelOf } from './stages/recall/semantic.js';
import type { Store } from '../storage/store.js';
import { keepAvailable } from './candidates.js';
import type { ItemPredicate } from './filters/compile.js';
import { recallDepths } from './filters/recall-depth.js';
import type { RequestContext } from './stage.js';
import { traced } from './trace.js';

const OVERFETCH = 3;

/** What makes two items alike for the model that found them: who chose them, what they say, or both. */
function similarityReason(model: string, label: string, itemId: ItemId): Reason {
  if (model === 'semantic') return { kind: 'similar-content', text: `Close in content to "${label}"`, itemIds: [itemId] };
  if (model === 'hybrid') return { kind: 'similar-to', text: `Close to "${label}" by content and by who chose them`, itemIds: [itemId] };
  return { kind: 'similar-to', text: `Often liked by people who liked "${label}"`, itemIds: [itemId] };
}

/**
 * Items like `itemId`: the bundle's similar-items model (the main model when it has the capability, else the
 * item-kNN trained beside it). A new item without interactions gets neighbours by content when it has text, else
 * popular items with a reason saying so. With a `filter`, only the items it keeps are returned.
 *
 * @example await similarToItem('50', 'Star Wars (1977)', 10, new Set(), bundle, store, ctx)
 */
export async function similarToItem(
  itemId: ItemId,
  title: string | undefined,
  count: number,
  exclude: Set<ItemId>,
  bundle: ModelBundle,
  store: Store,
  ctx: RequestContext,
  filter?: ItemPredicate,
): Promise<Recommendation[]> {
  const main = bundle.models.main;
  const model = hasSimilarItems(main) ? main : bundle.models.similar;
  const index = bundle.items.indexOf(itemId);
  const semantic = semanticModelOf(bundle);
  const label = title ?? itemId;
  const fromModel = (m: Model<object> & SimilarItems, i: number, reason: Reason, k: number) => () =>
    m.similarItems(i, k).map((s) => ({ itemId: bundle.items.idAt(s.index), score: s.score, reason }));
  let shown: Recommendation[] = [];
  // With a filter, recall deeper, and once more over the whole catalogue when the filtered list is still short.
  for (const k of recallDepths(count * OVERFETCH + 10, filter !== undefined, bundle.items.size)) {
    let scored: Array<{ itemId: ItemId; score: number; reason: Reason }>;
    if (model && hasSimilarItems(model) && index !== undefined && index < bundle.trainedItems) {
      const reason = similarityReason(model.name, label, itemId);
      scored = await traced(ctx, 'recall', `similar:${model.name}`, 0, fromModel(model, index, reason, k), (c) => c.length);
    } else if (semantic && hasSimilarItems(semantic) && index !== undefined && index < semantic.itemCount) {
      // A new item without interactions yet: neighbours by content.
      const reason: Reason = { kind: 'similar-content', text: `Close in content to "${label}"`, itemIds: [itemId] };
      scored = await traced(ctx, 'recall', 'similar:semantic', 0, fromModel(semantic, index, reason, k), (c) => c.length);
    } else {
      const reason: Reason = { kind: 'cold-start', text: 'Not enough interactions with this item yet: popular items instead' };
      scored = await traced(ctx, 'recall', 'popular', 0,
        () => bundle.models.popular.recommend({ user: emptyRow(), k })
          .map((s) => ({ itemId: bundle.items.idAt(s.index), score: s.score, reason })),
        (c) => c.length);
    }
    shown = await traced(ctx, 'filter', 'availability', scored.length, async () => {
      const kept = await keepAvailable(store, scored.filter((s) => s.itemId !== itemId), ctx.clock.now(), exclude, filter);
      return kept.slice(0, count).map((s) => ({ itemId: s.itemId, score: s.score, title: s.item.title, reasons: [s.reason] }));
    }, (r) => r.length);
    if (shown.length >= count || scored.length < k) break;
  }
  return shown;
}
