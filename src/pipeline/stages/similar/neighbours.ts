import { emptyRow } from '../../../core/sparse.js';
import { EngineError } from '../../../core/errors.js';
import type { ItemId, Reason } from '../../../core/types.js';
import { hasSimilarItems, type Model, type SimilarItems } from '../../../models/model.js';
import type { Stage } from '../../stage.js';
import { semanticModelOf } from '../recall/semantic.js';
import type { SimilarBasis, SimilarContext } from './similar-context.js';

/** An item like the asked one, with what makes it alike. */
export interface Neighbour {
  itemId: ItemId;
  score: number;
  reason: Reason;
}

/** One way to find neighbours; the similar flow runs the first that applies (see SIMILAR_RECALL). */
export interface NeighbourStage extends Stage<{ k: number }, Neighbour[], SimilarContext> {
  readonly kind: 'recall';
  applies(ctx: SimilarContext): boolean;
  /** The name in the trace ('similar:itemknn'). */
  traceName(ctx: SimilarContext): string;
}

/** The model that answers "items like this" by who chose them: the main model when it can, else the item-kNN beside it. */
function neighbourModel(ctx: SimilarContext): (Model<object> & SimilarItems) | undefined {
  const { main, similar } = ctx.bundle.models;
  if (hasSimilarItems(main)) return main;
  return similar && hasSimilarItems(similar) ? similar : undefined;
}

/** What makes two items alike for the model that found them: who chose them, what they say, or both. */
function similarityReason(model: string, label: string, itemId: ItemId): Reason {
  const evidence = [{ kind: 'item' as const, id: itemId, label }];
  if (model === 'semantic') return { kind: 'similar-content', text: `Close in content to "${label}"`, itemIds: [itemId], evidence };
  if (model === 'hybrid') return { kind: 'similar-to', text: `Close to "${label}" by content and by who chose them`, itemIds: [itemId], evidence };
  return { kind: 'similar-to', text: `Often liked by people who liked "${label}"`, itemIds: [itemId], evidence };
}

/** Each neighbour with the reason, its evidence carrying the neighbour's own similarity score. */
function neighboursOf(model: SimilarItems, index: number, k: number, reason: Reason, ctx: SimilarContext): Neighbour[] {
  return model.similarItems(index, k).map((s) => ({
    itemId: ctx.bundle.items.idAt(s.index), score: s.score, reason: { ...reason, evidence: (reason.evidence ?? []).map((e) => ({ ...e, value: s.score })) },
  }));
}

/** Neighbours by the collaborative signal, for an item the models were trained on. */
export const modelNeighbours: NeighbourStage = {
  kind: 'recall',
  name: 'similar',
  applies: (ctx) => neighbourModel(ctx) !== undefined && ctx.index !== undefined && ctx.index < ctx.bundle.trainedItems,
  traceName: (ctx) => `similar:${neighbourModel(ctx)?.name ?? 'none'}`,
  async run({ k }, ctx) {
    const model = neighbourModel(ctx);
    if (!model || ctx.index === undefined) return [];
    return neighboursOf(model, ctx.index, k, similarityReason(model.name, ctx.label, ctx.itemId), ctx);
  },
};

/** Neighbours by content, for an item added since training (no interactions yet) that has text. */
export const contentNeighbours: NeighbourStage = {
  kind: 'recall',
  name: 'similar-content',
  applies: (ctx) => {
    const semantic = semanticModelOf(ctx.bundle);
    return semantic !== undefined && hasSimilarItems(semantic) && ctx.index !== undefined && ctx.index < semantic.itemCount;
  },
  traceName: () => 'similar:semantic',
  async run({ k }, ctx) {
    const semantic = semanticModelOf(ctx.bundle);
    if (!semantic || !hasSimilarItems(semantic) || ctx.index === undefined) return [];
    const reason: Reason = { kind: 'similar-content', text: `Close in content to "${ctx.label}"`, itemIds: [ctx.itemId], evidence: [{ kind: 'item', id: ctx.itemId, label: ctx.label }] };
    return neighboursOf(semantic, ctx.index, k, reason, ctx);
  },
};

/** Neither signal knows the item: popular items, with a reason saying so. */
export const popularInstead: NeighbourStage = {
  kind: 'recall',
  name: 'popular',
  applies: () => true,
  traceName: () => 'popular',
  async run({ k }, ctx) {
    const text = 'Not enough interactions with this item yet: popular items instead';
    return ctx.bundle.models.popular.recommend({ user: emptyRow(), k }).map((s) => ({
      itemId: ctx.bundle.items.idAt(s.index), score: s.score, reason: { kind: 'cold-start', text, evidence: [{ kind: 'stat', id: 'people', value: Math.round(s.score), label: 'all time' }] },
    }));
  },
};

/** The ways to find neighbours, most specific first: the similar flow runs the first that applies. */
export const SIMILAR_RECALL: readonly NeighbourStage[] = [modelNeighbours, contentNeighbours, popularInstead];

/**
 * The neighbour stage of one basis (GET /v1/items/{id}/similar?by=): UNSUPPORTED (501) when the served bundle has no
 * such neighbours at all, CONFLICT (409) when it has them but not for this item; details name the item and the basis.
 *
 * @example basisStage(ctx, 'text') // contentNeighbours, or throws
 */
export function basisStage(ctx: SimilarContext, by: SimilarBasis): NeighbourStage {
  const stage = by === 'collaborative' ? modelNeighbours : contentNeighbours;
  if (stage.applies(ctx)) return stage;
  const details = { id: ctx.itemId, by };
  if (by === 'collaborative') {
    if (!neighbourModel(ctx)) throw new EngineError('UNSUPPORTED', 'the served models have no collaborative item neighbours (train itemknn, ease or a model with item similarity)', details);
    throw new EngineError('CONFLICT', 'the collaborative model was not trained on this item (no interactions before the last training)', details);
  }
  const semantic = semanticModelOf(ctx.bundle);
  if (!semantic || !hasSimilarItems(semantic)) throw new EngineError('UNSUPPORTED', 'no item text embeddings: set embeddings.provider and give items title or text, then train', details);
  throw new EngineError('CONFLICT', 'this item is not in the text embedding index', details);
}
