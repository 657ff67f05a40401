import { hasExplainer, type Model } from '../../models/model.js';
import type { IdIndex } from '../../core/ids.js';
import type { SparseRow } from '../../core/sparse.js';
import type { Reason, Scored } from '../../core/types.js';
import type { Candidate } from '../candidates.js';

export interface CandidateSource {
  model: Model<object>;
  items: IdIndex;
  /** Trained user index or a live history row to fold in. */
  user: number | SparseRow;
  channel: string;
  /** Reasons attached to every candidate of this channel (e.g. "popular"). */
  reasons?: Reason[];
  /** How many contributing history items to keep per candidate. */
  explainTop?: number;
}

export interface RecallInput extends CandidateSource {
  k: number;
  exclude: Int32Array;
}

/**
 * Scored item indexes -> candidates, each with the history items that contributed most when the model has the
 * Explainer capability.
 *
 * @example toCandidates(model.recommend({ user: row, k: 50 }), { model, items, user: row, channel: 'cf' })
 */
export function toCandidates(scored: Scored[], src: CandidateSource): Candidate[] {
  const explainer = hasExplainer(src.model) ? src.model : undefined;
  const top = src.explainTop ?? 3;
  return scored.map((s) => ({
    itemId: src.items.idAt(s.index),
    score: s.score,
    channel: src.channel,
    because: (explainer?.explain(src.user, s.index) ?? [])
      .filter((c) => c.weight > 0)
      .slice(0, top)
      .map((c) => ({ itemId: src.items.idAt(c.item), weight: c.weight })),
    reasons: src.reasons ?? [],
  }));
}

/**
 * A recall channel over one model: the model's top-k as explained candidates.
 *
 * @example recallFromModel({ model, items, user: row, k: 50, exclude, channel: 'cf' })
 */
export function recallFromModel(input: RecallInput): Candidate[] {
  return toCandidates(input.model.recommend({ user: input.user, k: input.k, exclude: input.exclude }), input);
}
