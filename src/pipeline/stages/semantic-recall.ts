import { emptyRow, type SparseRow } from '../../core/sparse.js';
import type { Reason } from '../../core/types.js';
import type { ModelBundle } from '../../jobs/model-bundle.js';
import type { Model } from '../../models/model.js';
import { blendQueryVector, hasTextVectors, type TextVectors } from '../../models/semantic/text-query.js';
import type { Candidate } from '../candidates.js';
import { toCandidates } from './recall.js';

/** How much a free-text query weighs against the user's own taste when both are given. */
export const QUERY_WEIGHT = 0.7;

type SemanticModel = Model<object> & TextVectors;

export function semanticModelOf(bundle: ModelBundle): SemanticModel | undefined {
  const m = bundle.models.semantic;
  return m && hasTextVectors(m) ? m : undefined;
}

/**
 * Items nearest to a free-text query, blended with the user's history vector when there is one. Only items whose
 * similarity to the query itself reaches `floor` (see query-floor.ts) are matches: alone, the query returns only those
 * (possibly none); blended, the others stay as items close to the user's tastes (channel 'semantic') and do not claim
 * to match the search.
 *
 * @example recallByQuery(bundle, model, encodedQuery, 'a space adventure', profile?.row, 40, exclude, 0.41)
 */
export function recallByQuery(
  bundle: ModelBundle, model: SemanticModel, rawQuery: Float32Array, query: string, history: SparseRow | undefined, k: number, exclude: Int32Array, floor: number,
): Candidate[] {
  const q = model.encodeText(rawQuery);
  const blended = !!history && history.indices.length > 0;
  const vector = blended ? blendQueryVector(q, model.userVector(history), QUERY_WEIGHT) : q;
  const found = model.recommendByVector(vector, k, { exclude });
  // How close each found item is to the query alone (the blended score mixes in the user's taste).
  const toQuery = blended
    ? new Map(model.recommendByVector(q, found.length, { candidates: Int32Array.from(found, (s) => s.index) }).map((s) => [s.index, s.score]))
    : new Map(found.map((s) => [s.index, s.score]));
  const matches = (item: number): boolean => (toQuery.get(item) ?? -Infinity) >= floor;
  const kept = blended ? found : found.filter((s) => matches(s.index));
  const reason: Reason = { kind: 'query', text: `Matches your search "${query.slice(0, 80)}"` };
  const near: Reason = { kind: 'semantic', text: 'Close in content to what you like' };
  const src = { model, items: bundle.items, user: history ?? emptyRow() };
  return toCandidates(kept, { ...src, channel: 'query' }).map((c, i) =>
    matches(kept[i].index) ? { ...c, reasons: [reason] } : { ...c, channel: 'semantic', reasons: [near] });
}

/**
 * Content-based recall for a history row (the semantic model scores each item by its closest history item). With
 * `coldOnly`, only items added after training (no interactions in the collaborative models yet) that would rank among
 * the user's k best items by content are returned: that is how a new item reaches the users it suits at once, and
 * only them.
 *
 * @example recallSemantic(bundle, model, profile.row, 20, exclude, true)
 */
export function recallSemantic(bundle: ModelBundle, model: SemanticModel, row: SparseRow, k: number, exclude: Int32Array, coldOnly: boolean): Candidate[] {
  const best = model.recommend({ user: row, k, exclude });
  let scored = best;
  if (coldOnly) {
    const threshold = best.length < k ? -Infinity : best[best.length - 1].score;
    const cold = Int32Array.from({ length: bundle.items.size - bundle.trainedItems }, (_, i) => bundle.trainedItems + i);
    scored = model.recommend({ user: row, k, candidates: cold, exclude }).filter((s) => s.score >= threshold);
  }
  const reason: Reason = coldOnly
    ? { kind: 'new-item', text: 'New here, and close in content to what you like' }
    : { kind: 'semantic', text: 'Close in content to what you like' };
  return toCandidates(scored, { model, items: bundle.items, user: row, channel: coldOnly ? 'cold-items' : 'semantic', reasons: [reason] });
}
