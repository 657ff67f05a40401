import type { ModelBundle } from '../models/model-bundle.js';
import { hasSimilarItems, type Model, type SimilarItems } from '../models/model.js';
import { hasTextVectors } from '../models/semantic/text-query.js';
import { unitVector } from './spherical-kmeans.js';

/**
 * - `factors`: the main model's collaborative item factors (ALS, BPR; the CF part of hybrid);
 * - `text`: the semantic model's item text embeddings;
 * - `neighbours`: no vectors in the bundle: an item is its similarities to the user's own items (item-kNN lists).
 */
export type ItemSpaceKind = 'factors' | 'text' | 'neighbours';

/** "Give me the vector of item index i" from whatever the served bundle has. */
export interface ItemSpace {
  readonly kind: ItemSpaceKind;
  /** The model the vectors come from. */
  readonly source: string;
  readonly dims: number;
  /** False when coordinates mean something only for this user (the neighbours space): vectors are not returned. */
  readonly shared: boolean;
  /** The unit vector of an item, or undefined when the space has none for it. */
  vector(item: number): Float32Array | undefined;
}

interface FactorTable { factors: Float32Array; stride: number; items: number }

/** Factor tables read once per served model (a bundle's models never change after training). */
const factorTables = new WeakMap<object, FactorTable | null>();

/**
 * The main model's collaborative item factors, when it has them: ALS and BPR `itemFactors`, hybrid's unit CF factors.
 * Read from the model's own serialised parts (the stable format every model already provides), once per model.
 *
 * @example factorSpace(bundle)?.vector(3)
 */
export function factorSpace(bundle: ModelBundle): ItemSpace | undefined {
  const main = bundle.models.main;
  let table = factorTables.get(main);
  if (table === undefined) {
    table = readFactorTable(main);
    factorTables.set(main, table);
  }
  if (!table) return undefined;
  const { factors, stride, items } = table;
  return {
    kind: 'factors',
    source: main.name,
    dims: stride,
    shared: true,
    vector: (item) => {
      if (!Number.isInteger(item) || item < 0 || item >= items) return undefined;
      const v = unitVector(factors.subarray(item * stride, (item + 1) * stride));
      return v.some((x) => x !== 0) ? v : undefined;
    },
  };
}

function readFactorTable(model: Model<object>): FactorTable | null {
  if (model.name !== 'als' && model.name !== 'bpr' && model.name !== 'hybrid') return null;
  const { meta, arrays } = model.save();
  const factors = model.name === 'hybrid' ? arrays.cfFactors : arrays.itemFactors;
  const stride = model.name === 'hybrid' ? meta.rank : meta.stride;
  if (!(factors instanceof Float32Array) || typeof stride !== 'number' || stride <= 0) return null;
  return { factors, stride, items: Math.floor(factors.length / stride) };
}

/**
 * The semantic model's text-embedding space (centred, unit item vectors), items added after training included.
 *
 * @example textSpace(bundle)?.vector(3)
 */
export function textSpace(bundle: ModelBundle): ItemSpace | undefined {
  const model = bundle.models.semantic;
  if (!model || !hasTextVectors(model)) return undefined;
  // A one-item history's vector is that item's unit vector (zeros when it has none): the public way in.
  const probe = model.userVector({ indices: Int32Array.of(0), values: Float32Array.of(1) });
  return {
    kind: 'text',
    source: model.name,
    dims: probe.length,
    shared: true,
    vector: (item) => {
      if (!Number.isInteger(item) || item < 0 || item >= model.itemCount) return undefined;
      const v = model.userVector({ indices: Int32Array.of(item), values: Float32Array.of(1) });
      return v.some((x) => x !== 0) ? v : undefined;
    },
  };
}

/** Neighbours read per item in the fallback space: enough to link items of one taste, cheap per request. */
const NEIGHBOURS = 100;

/**
 * Fallback when the bundle has no item vectors (EASE, item-kNN, ... without a semantic model): item i of the user's
 * `items` becomes the vector of its similarities to each of those items (1 to itself, the larger of the two
 * directions' item-kNN scores otherwise), so items that are near the same part of the user's history point the same
 * way. Coordinates are the user's own items: such vectors are compared within this profile only.
 *
 * @example neighbourSpace(bundle, [4, 9, 17])?.vector(9)
 */
export function neighbourSpace(bundle: ModelBundle, items: readonly number[]): ItemSpace | undefined {
  const model = similarityModel(bundle);
  if (!model) return undefined;
  const position = new Map(items.map((item, p) => [item, p]));
  const sims = items.map(() => new Map<number, number>());
  items.forEach((item, p) => {
    for (const s of model.similarItems(item, NEIGHBOURS)) {
      const q = position.get(s.index);
      if (q === undefined || q === p || !(s.score > 0)) continue;
      sims[p].set(q, Math.max(sims[p].get(q) ?? 0, s.score));
      sims[q].set(p, Math.max(sims[q].get(p) ?? 0, s.score));
    }
  });
  return {
    kind: 'neighbours',
    source: model.name,
    dims: items.length,
    shared: false,
    vector: (item) => {
      const p = position.get(item);
      if (p === undefined) return undefined;
      const v = new Float32Array(items.length);
      v[p] = 1;
      for (const [q, s] of sims[p]) v[q] = s;
      return unitVector(v);
    },
  };
}

function similarityModel(bundle: ModelBundle): (Model<object> & SimilarItems) | undefined {
  const { main, similar } = bundle.models;
  if (hasSimilarItems(main)) return main;
  return similar && hasSimilarItems(similar) ? similar : undefined;
}

/**
 * The same space, each item's vector computed once (a profile asks for the same items several times).
 *
 * @example const space = memoised(textSpace(bundle)!)
 */
export function memoised(space: ItemSpace): ItemSpace {
  const seen = new Map<number, Float32Array | undefined>();
  return {
    kind: space.kind,
    source: space.source,
    dims: space.dims,
    shared: space.shared,
    vector: (item) => {
      if (!seen.has(item)) seen.set(item, space.vector(item));
      return seen.get(item);
    },
  };
}
