import type { SparseRow } from '../core/sparse.js';
import type { Evidence, Reason } from '../core/types.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { hasExplainer, hasSimilarItems } from '../models/model.js';
import type { CandidateEvidence } from '../care/explain.js';

/** How far down an item's neighbour list a history item is looked for. */
const NEIGHBOURS_SEARCHED = 200;

/**
 * Gives each collaborative candidate that its model could not explain (BPR, user-kNN, or no positive term) the history
 * item most like it, marked `via: 'similar-items'` so the reason says it is a likeness, not the score's own split.
 * Likeness comes from the bundle's item-kNN (its explain over the history) or else the item neighbours of the main
 * model or of the ensemble model that placed it. Only the shown candidates are attributed, so this costs a few neighbour lookups per request.
 *
 * @example const shown = attributeToHistory(bundle, profile.row, kept)
 */
export function attributeToHistory(bundle: ModelBundle, row: SparseRow, candidates: CandidateEvidence[]): CandidateEvidence[] {
  if (row.indices.length === 0) return candidates;
  const history = new Set(row.indices);
  const knn = bundle.models.similar;
  const main = bundle.models.main;
  return candidates.map((c) => {
    if (c.channel !== 'cf' || c.because.length > 0) return c;
    const item = bundle.items.indexOf(c.itemId);
    if (item === undefined || item >= bundle.trainedItems) return c;
    let best: { item: number; weight: number } | undefined;
    if (knn && hasExplainer(knn)) best = knn.explain(row, item).find((x) => x.weight > 0);
    // Then the item neighbours of the main model, or of the ensemble model that placed it (ALS factors...).
    const placer = c.placedBy === undefined ? undefined : bundle.channels?.[c.placedBy];
    for (const model of [main, placer]) {
      if (best || !model || !hasSimilarItems(model)) continue;
      const near = model.similarItems(item, NEIGHBOURS_SEARCHED).find((s) => history.has(s.index) && s.score > 0);
      if (near) best = { item: near.index, weight: near.score };
    }
    return best ? { ...c, because: [{ itemId: bundle.items.idAt(best.item), weight: best.weight, via: 'similar-items' as const }] } : c;
  });
}

/**
 * The reason of a popular item, with the count behind it: the popular model scores an item by the people who chose it
 * (decayed by `halfLifeDays` when set) or by the summed interaction weight. The evidence is that count; it has no
 * `windowDays` because it is counted over all time (a decayed count says its half-life in the label).
 *
 * @example popularReason(583, { measure: 'users', halfLifeDays: 0 }, false).text // 'Popular: 583 people chose it; we don't know your tastes yet'
 */
export function popularReason(score: number, modelParams: object, knownTastes: boolean): Reason {
  const params = modelParams as { measure?: unknown; halfLifeDays?: unknown };
  const people = Math.max(1, Math.round(score));
  let text: string;
  let evidence: Evidence;
  if (params.measure === 'weight') {
    text = 'Among the most chosen items overall';
    evidence = { kind: 'stat', id: 'interaction-weight', value: score, label: 'all time' };
  } else if (typeof params.halfLifeDays === 'number' && params.halfLifeDays > 0) {
    text = `Popular lately: about ${people} ${people === 1 ? 'person' : 'people'} chose it (recent choices count most)`;
    evidence = { kind: 'stat', id: 'people', value: people, label: `all time, halved every ${params.halfLifeDays} days` };
  } else {
    text = `Popular: ${people} ${people === 1 ? 'person' : 'people'} chose it`;
    evidence = { kind: 'stat', id: 'people', value: people, label: 'all time' };
  }
  return knownTastes ? { kind: 'popular', text, evidence: [evidence] } : { kind: 'cold-start', text: `${text}; we don't know your tastes yet`, evidence: [evidence] };
}
