import type { EventTypeConfig } from '../config/schema.js';
import type { SparseRow } from '../core/sparse.js';
import type { Item, ItemId, StoredEvent } from '../core/types.js';
import type { ModelBundle } from '../models/model-bundle.js';
import type { Model } from '../models/model.js';
import { distinctiveTerms, interestLabel, type CatalogueTerms } from './interest-labels.js';
import { buildLiveProfile } from './live-profile.js';
import type { InterestPreferences } from './profile-preferences.js';
import type { InterestProfile, InterestTerm, ProfileItem, SequenceInterest } from './profile-types.js';

/** Items the short-term interest keeps: more than a served profile shows (SHOWN_SEQUENCE_ITEMS), as mutes may hide some. */
export const SEQUENCE_ITEMS = 10;
/** Predicted items a served profile shows. */
export const SHOWN_SEQUENCE_ITEMS = 5;

/** A model that reads a history as a sequence and exposes the state after its latest item (the transformer). */
export interface InterestVectorModel {
  interestVector(user: number | SparseRow): Float32Array | undefined;
}

function hasInterestVector(m: Model<object>): m is Model<object> & InterestVectorModel {
  return typeof (m as Partial<InterestVectorModel>).interestVector === 'function';
}

/**
 * The bundle's sequence model when it has one (a trained transformer as the main model), else undefined.
 *
 * @example sequenceModelOf(bundle)?.interestVector(row)
 */
export function sequenceModelOf(bundle: ModelBundle): (Model<object> & InterestVectorModel) | undefined {
  const main = bundle.models.main;
  return hasInterestVector(main) ? main : undefined;
}

/** What the sequence model predicts from a history, before the items are described. */
export interface SequencePrediction {
  model: string;
  /** The state after the latest item, in the model's item-embedding space. */
  vector: Float32Array;
  /** Predicted items (not already consumed), highest score first, with their share of those items' softmax. */
  items: Array<{ itemId: ItemId; weight: number }>;
}

/**
 * What the user's latest positive events predict, read by the bundle's sequence model: its state after the latest
 * item and the top `SEQUENCE_ITEMS` items by score (items already consumed left out, as the next-item channel leaves
 * them out). Undefined without a sequence model or without a positive event on a trained item. `history` comes newest
 * first (Store.history); the row fed to the model is the one requests feed the next-item channel.
 *
 * @example const p = predictFromSequence(bundle, history, config.events.types) // p?.items[0].itemId
 */
export function predictFromSequence(
  bundle: ModelBundle, history: readonly StoredEvent[], types: Record<string, EventTypeConfig>,
): SequencePrediction | undefined {
  const model = sequenceModelOf(bundle);
  if (!model) return undefined;
  const live = buildLiveProfile([...history], bundle.items, types);
  const row = trainedOnly(live.row, bundle.trainedItems);
  if (row.indices.length === 0) return undefined;
  const vector = model.interestVector(row);
  if (!vector) return undefined;
  const consumed = [...live.consumed].map((id) => bundle.items.indexOf(id)).filter((i): i is number => i !== undefined);
  const scored = model.recommend({ user: row, k: SEQUENCE_ITEMS, exclude: Int32Array.from(consumed).sort() });
  if (scored.length === 0) return undefined;
  // Softmax over the listed items: the share of what the model expects next that each holds among them.
  const top = scored[0].score;
  const mass = scored.reduce((s, x) => s + Math.exp(x.score - top), 0);
  const items = scored.map((x) => ({ itemId: bundle.items.idAt(x.index), weight: Math.exp(x.score - top) / mass }));
  return { model: model.name, vector, items };
}

/** The row without items added after training (the network has no embedding for them). */
function trainedOnly(row: SparseRow, trainedItems: number): SparseRow {
  const keep = Array.from(row.indices.keys()).filter((p) => row.indices[p] < trainedItems);
  return { indices: Int32Array.from(keep, (p) => row.indices[p]), values: Float32Array.from(keep, (p) => row.values[p]) };
}

/**
 * The prediction described for people: the items with their titles, their distinctive categories and tags (scored
 * against the catalogue) and a label made of them.
 *
 * @example describeSequence(prediction, items, catalogue).label // 'Sci-Fi · space'
 */
export function describeSequence(prediction: SequencePrediction, items: ReadonlyMap<ItemId, Item>, catalogue: CatalogueTerms): SequenceInterest {
  const members = prediction.items.map((p) => ({ item: items.get(p.itemId) ?? { id: p.itemId }, weight: p.weight }));
  const terms = distinctiveTerms(members, members, catalogue);
  const listed: ProfileItem[] = prediction.items.map((p) => {
    const title = items.get(p.itemId)?.title;
    return { itemId: p.itemId, ...(title ? { title } : {}), weight: round(p.weight) };
  });
  return {
    model: prediction.model,
    label: interestLabel(terms, listed.slice(0, 2).map((i) => i.title ?? i.itemId)),
    terms: terms.map((t) => ({ term: t.term, score: round(t.score) })),
    items: listed,
  };
}

/**
 * The short-term interest with the prediction in it (vectors.sequence and next), or without any (no prediction).
 *
 * @example profile.shortTerm = shortTermWithSequence(shortTerm, prediction, items, catalogue)
 */
export function shortTermWithSequence(
  shortTerm: InterestTerm, prediction: SequencePrediction | undefined, items: ReadonlyMap<ItemId, Item>, catalogue: CatalogueTerms,
): InterestTerm {
  const { next: _previous, ...rest } = shortTerm;
  const { sequence: _previousVector, ...vectors } = shortTerm.vectors;
  if (!prediction) return { ...rest, vectors };
  return { ...rest, vectors: { ...vectors, sequence: Array.from(prediction.vector, round) }, next: describeSequence(prediction, items, catalogue) };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * The profile as served to its user: the short-term prediction's items without those of muted interests, boosted
 * interests' items moved up (weight × boost), at most SHOWN_SEQUENCE_ITEMS. The stored profile keeps every predicted
 * item, so unmuting shows them again. The label and terms still describe the whole prediction.
 *
 * @example const served = sequenceWithPreferences(state.profile, preferencesOf(state, vectorOf))
 */
export function sequenceWithPreferences(profile: InterestProfile, prefs: InterestPreferences | undefined): InterestProfile {
  const next = profile.shortTerm.next;
  if (!next) return profile;
  const ranked = next.items
    .map((item, n) => ({ item, n, interest: prefs?.interestOf(item.itemId) }))
    .filter((x) => x.interest === undefined || !prefs?.muted.has(x.interest))
    .map((x) => ({ ...x, weight: x.item.weight * ((x.interest !== undefined ? prefs?.boosts.get(x.interest) : undefined) ?? 1) }))
    .sort((a, b) => b.weight - a.weight || a.n - b.n)
    .slice(0, SHOWN_SEQUENCE_ITEMS);
  return { ...profile, shortTerm: { ...profile.shortTerm, next: { ...next, items: ranked.map((x) => x.item) } } };
}
