import type { SparseRow } from '../../../core/sparse.js';
import type { Scored } from '../../../core/types.js';
import type { ModelBundle } from '../../../models/model-bundle.js';
import type { Model } from '../../../models/model.js';
import { hasTextVectors, type TextVectors } from '../../../models/semantic/text-query.js';
import type { RecallChannel } from './channel.js';
import { fromScored } from './from-model.js';

export type SemanticModel = Model<object> & TextVectors;

/** The bundle's text-vector model, when one was trained (needs an embedding provider and item texts). */
export function semanticModelOf(bundle: ModelBundle): SemanticModel | undefined {
  const m = bundle.models.semantic;
  return m && hasTextVectors(m) ? m : undefined;
}

/**
 * Content-based recall for a history row (the semantic model scores each item by its closest history item). With
 * `coldOnly`, only items added after training (no interactions in the collaborative models yet) that would rank among
 * the user's k best items by content are returned: that is how a new item reaches the users it suits at once, and
 * only them.
 *
 * @example scoreByContent(bundle, model, profile.row, 20, exclude, true)
 */
export function scoreByContent(bundle: ModelBundle, model: SemanticModel, row: SparseRow, k: number, exclude: Int32Array, coldOnly: boolean): Scored[] {
  const best = model.recommend({ user: row, k, exclude });
  if (!coldOnly) return best;
  const threshold = best.length < k ? -Infinity : best[best.length - 1].score;
  const cold = Int32Array.from({ length: bundle.items.size - bundle.trainedItems }, (_, i) => bundle.trainedItems + i);
  return model.recommend({ user: row, k, candidates: cold, exclude }).filter((s) => s.score >= threshold);
}

/**
 * Items close in content to a history that the collaborative models cannot read (only items added since training).
 *
 * @example await semanticChannel.run({ k: 40, signal }, ctx)
 */
export const semanticChannel: RecallChannel = {
  kind: 'recall',
  name: 'semantic',
  applies: (ctx) => !ctx.query && !!semanticModelOf(ctx.bundle) && ctx.row.indices.length > 0 && ctx.cfRow.indices.length === 0,
  async run({ k }, ctx) {
    const model = semanticModelOf(ctx.bundle);
    if (!model) return [];
    return fromScored('semantic', scoreByContent(ctx.bundle, model, ctx.row, k, ctx.blockedIndexes.all, false), ctx.bundle.items);
  },
  evidence: (ctx) => {
    const model = semanticModelOf(ctx.bundle);
    return model ? { model, user: ctx.row } : undefined;
  },
};
