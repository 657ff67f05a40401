import { hasExplainer, type Model } from '../../models/model.js';
import type { IdIndex } from '../../core/ids.js';
import type { SparseRow } from '../../core/sparse.js';
import type { Reason } from '../../core/types.js';
import type { Candidate } from '../candidates.js';

export interface RecallInput {
  model: Model<object>;
  items: IdIndex;
  /** Trained user index or a live history row to fold in. */
  user: number | SparseRow;
  k: number;
  exclude: Int32Array;
  channel: string;
  /** Reasons attached to every candidate of this channel (e.g. "popular"). */
  reasons?: Reason[];
  /** How many contributing history items to keep per candidate. */
  explainTop?: number;
}

/**
 * A recall channel over one model: the model's top-k as candidates, each with the history items that contributed
 * most when the model has the Explainer capability.
 *
 * @example recallFromModel({ model, items, user: row, k: 50, exclude, channel: 'cf' })
 */
export function recallFromModel(input: RecallInput): Candidate[] {
  const scored = input.model.recommend({ user: input.user, k: input.k, exclude: input.exclude });
  const explainer = hasExplainer(input.model) ? input.model : undefined;
  const top = input.explainTop ?? 3;
  return scored.map((s) => ({
    itemId: input.items.idAt(s.index),
    score: s.score,
    channel: input.channel,
    because: (explainer?.explain(input.user, s.index) ?? [])
      .filter((c) => c.weight > 0)
      .slice(0, top)
      .map((c) => ({ itemId: input.items.idAt(c.item), weight: c.weight })),
    reasons: input.reasons ?? [],
  }));
}
