import type { ItemId, Recommendation } from '../core/types.js';
import type { ModelBundle } from '../models/model-bundle.js';
import type { Store } from '../storage/store.js';
import type { ItemPredicate } from './filters/compile.js';
import { recallDepths } from './filters/recall-depth.js';
import { runStage } from './pipeline.js';
import type { RequestContext } from './stage.js';
import { neighbourAvailability, neighbourReasons, type ShownNeighbour } from './stages/similar/neighbour-stages.js';
import { basisStage, SIMILAR_RECALL } from './stages/similar/neighbours.js';
import type { SimilarBasis, SimilarContext } from './stages/similar/similar-context.js';

const OVERFETCH = 3;

export interface SimilarRequest {
  itemId: ItemId;
  title?: string;
  count: number;
  exclude: ReadonlySet<ItemId>;
  keepItem?: ItemPredicate;
  /** Only this basis (errors when it does not know the item); default: the first stage that applies. */
  by?: SimilarBasis;
}

/**
 * The "items like this" flow on the stage runner: the first neighbour stage that applies (the collaborative model's
 * neighbours for a trained item, content neighbours for an item added since, else popular items, each with its
 * reason; stages/similar/neighbours.ts), or the one basis asked for -> availability filter -> reasons. With business rules, recall goes deeper
 * pass by pass while the filtered list is short (filters/recall-depth.ts). Every stage is traced in ctx.trace.
 *
 * @example await similarToItem({ itemId: '50', title: 'Star Wars (1977)', count: 10, exclude: new Set() }, bundle, store, ctx)
 */
export async function similarToItem(req: SimilarRequest, bundle: ModelBundle, store: Store, base: RequestContext): Promise<Recommendation[]> {
  const ctx: SimilarContext = { ...base, ...req, label: req.title ?? req.itemId, index: bundle.items.indexOf(req.itemId), bundle, store };
  const recall = req.by ? basisStage(ctx, req.by) : SIMILAR_RECALL.find((stage) => stage.applies(ctx)) ?? SIMILAR_RECALL[SIMILAR_RECALL.length - 1];
  const named = { ...recall, name: recall.traceName(ctx) };
  let shown: ShownNeighbour[] = [];
  for (const k of recallDepths(req.count * OVERFETCH + 10, req.keepItem !== undefined, bundle.items.size)) {
    const neighbours = await runStage(named, { k }, ctx, () => 0, (n) => n.length);
    shown = await runStage(neighbourAvailability, neighbours, ctx, (n) => n.length, (s) => s.length);
    if (shown.length >= req.count || neighbours.length < k) break;
  }
  return runStage(neighbourReasons, shown, ctx, (s) => s.length, (r) => r.length);
}
