import { withoutRow } from '../user-rows.js';
import { EngineError } from '../../core/errors.js';
import { CsrMatrix, type SparseRow } from '../../core/sparse.js';
import type { Scored } from '../../core/types.js';
import { csrArrays, csrFromArtifact, metaCount } from '../csr-artifact.js';
import type { Contribution, ModelArtifact, RecommendQuery, TypedArray } from '../model.js';
import { topK } from '../topk.js';
import { createVectorIndex, TieredVectorIndex } from '../../vectors/tiered-index.js';
import type { HnswOptions } from '../../vectors/vector-index.js';
import type { AddedVectors } from './added-vectors.js';
import { mergeIntoList, NeighbourLists, type NeighbourList } from './neighbour-lists.js';
import { historyWeights, recentHistory, resolveHistory } from './user-profile.js';

/**
 * How a history becomes scores: 'max' scores an item by its similarity to the closest history item (item-to-item,
 * keeps several separate interests and series/sequels apart); 'mean' by its cosine with the mean history vector.
 */
export type HistoryAggregate = 'max' | 'mean';

export interface VectorSpaceOptions {
  aggregate: HistoryAggregate;
  /** Only the most recent this many history items are used (0 = all). */
  historyLimit: number;
  /** Recency half-life in history positions (0 = every history item counts by its weight alone). */
  recencyHalfLife: number;
  /** Brute-force search below this many items, HNSW above. */
  exactBelow: number;
  hnsw?: HnswOptions;
}

/** Where a query vector search may look. */
export interface VectorQueryOptions {
  exclude?: ArrayLike<number>;
  /** Rank only these items (every one of them gets a score). */
  candidates?: ArrayLike<number>;
}

/**
 * The shared engine of the vector-space models (semantic, hybrid): unit item vectors in one space, a nearest-
 * neighbour index over them, and the trained users' histories. Any history (a brand-new user's too) is scored
 * without retraining, by the closest history item ('max') or the weighted mean vector ('mean'); scores are cosines
 * (times the recency factor of the history item, in 'max' mode).
 *
 * A trained space is never changed. Items stored after training enter through `withAddedItems`: a new space that
 * shares the trained vectors, index and neighbour lists and searches the added rows beside them (exactly: they are
 * few until the next training puts them in the index).
 */
export class ItemVectorSpace {
  /** Items of the trained space (the index and the kept neighbour lists cover exactly these). */
  private readonly nTrained: number;
  private readonly added: AddedVectors | undefined;
  private readonly neighbours: NeighbourLists;
  /** Trained items' lists with the added items merged in, kept for this space (immutable, so they stay right). */
  private readonly merged = new Map<number, NeighbourList>();

  constructor(
    readonly dims: number,
    private readonly vectors: Float32Array,
    private readonly present: Uint8Array,
    private readonly users: CsrMatrix,
    private readonly options: VectorSpaceOptions,
    private readonly index: TieredVectorIndex = buildIndex(dims, vectors, present, options),
    shared?: { added: AddedVectors; neighbours: NeighbourLists },
  ) {
    this.nTrained = present.length;
    this.added = shared?.added;
    this.neighbours = shared?.neighbours ?? new NeighbourLists({
      search: (item, k) => this.index.search(this.vectors.subarray(item * dims, (item + 1) * dims), k, { exclude: new Set([item]) }),
    });
  }

  /**
   * This trained space plus the items of `added` (indexes from the trained item count on), as a new space; this one
   * is not changed. Throws INVALID_INPUT when the rows do not start right after the trained items or differ in size.
   *
   * @example const served = space.withAddedItems(log.snapshot())
   */
  withAddedItems(added: AddedVectors): ItemVectorSpace {
    if (added.first !== this.nTrained || added.dims !== this.dims) {
      throw new EngineError('INVALID_INPUT', `added item vectors start at ${added.first} with ${added.dims} dimensions; the space has ${this.nTrained} items of ${this.dims}`);
    }
    return new ItemVectorSpace(this.dims, this.vectors, this.present, this.users, this.options, this.index, { added, neighbours: this.neighbours });
  }

  /** This space with one user's history row emptied: vectors, index and neighbour lists do not depend on users. */
  withoutUser(user: number): ItemVectorSpace {
    const shared = this.added ? { added: this.added, neighbours: this.neighbours } : undefined;
    return new ItemVectorSpace(this.dims, this.vectors, this.present, withoutRow(this.users, user), this.options, this.index, shared);
  }

  private get nItems(): number {
    return this.nTrained + (this.added?.count ?? 0);
  }

  get itemCount(): number {
    return this.nItems;
  }

  /** Which index answers recall: 'exact' or 'hnsw'. */
  get indexKind(): 'exact' | 'hnsw' {
    return this.index.kind;
  }

  /** The unit vector of an item (a copy), or undefined when it has none. */
  itemVector(item: number): Float32Array | undefined {
    if (!this.hasVector(item)) return undefined;
    return this.rowOf(item).slice();
  }

  hasVector(item: number): boolean {
    return Number.isInteger(item) && item >= 0 && item < this.nItems && this.has(item);
  }

  /**
   * Unit-length weighted (interaction weight x recency) mean of the recent history's item vectors, zeros when no
   * history item has a vector. The user's point in the space, also in 'max' mode (e.g. to blend with a text query).
   */
  userVector(user: number | SparseRow): Float32Array {
    const { items, weights } = this.seeds(user, 'mean');
    const u = new Float64Array(this.dims);
    items.forEach((i, j) => {
      const v = this.rowOf(i);
      for (let d = 0; d < this.dims; d++) u[d] += weights[j] * v[d];
    });
    return unit(u);
  }

  recommend(q: RecommendQuery): Scored[] {
    if (this.options.aggregate === 'mean') return this.recommendByVector(this.userVector(q.user), q.k, { exclude: q.exclude, candidates: q.candidates });
    if (q.k <= 0) return [];
    const seeds = this.seeds(q.user, 'max');
    if (q.candidates) return this.scoreCandidates(q.k, q.candidates, q.exclude, (i) => this.maxSimilarity(i, seeds));
    return this.recallNearestToHistory(seeds, q.k, q.exclude);
  }

  /**
   * Items nearest to a vector of this space (normalised here). Recall mode searches the index over items that have
   * a vector; with candidates every valid candidate is scored exactly (0 for items without a vector).
   */
  recommendByVector(vector: Float32Array, k: number, opts: VectorQueryOptions = {}): Scored[] {
    if (vector.length !== this.dims) throw new EngineError('INVALID_INPUT', `query vector has ${vector.length} dimensions, the model has ${this.dims}`);
    if (k <= 0) return [];
    const q = unit(vector);
    if (opts.candidates) return this.scoreCandidates(k, opts.candidates, opts.exclude, (i) => this.dotWith(i, q));
    if (!q.some((x) => x !== 0)) return [];
    return this.search(q, k, opts.exclude && opts.exclude.length > 0 ? new Set(Array.from(opts.exclude)) : undefined);
  }

  /** The k items nearest to `item` (never itself); empty when the item has no vector. */
  similarItems(item: number, k: number): Scored[] {
    if (!this.hasVector(item) || k <= 0) return [];
    const list = this.listOf(item);
    if (k <= list.labels.length || list.complete) {
      return Array.from(list.labels.subarray(0, k), (index, j) => ({ index, score: list.scores[j] }));
    }
    return this.search(this.rowOf(item), k, new Set([item]));
  }

  /**
   * How much each history item pulls `item` up, largest first (negative pulls last): its cosine with `item` times
   * its recency factor ('max'), or times its share of the history weight ('mean').
   */
  explain(user: number | SparseRow, item: number): Contribution[] {
    const target = this.itemVector(item);
    if (!target) return [];
    const { items, weights } = this.seeds(user, this.options.aggregate);
    const total = this.options.aggregate === 'mean' ? weights.reduce((s, w) => s + w, 0) : 1;
    const byItem = new Map<number, number>();
    items.forEach((h, j) => {
      const pull = (weights[j] / total) * this.dotWith(h, target);
      byItem.set(h, this.options.aggregate === 'mean' ? (byItem.get(h) ?? 0) + pull : Math.max(byItem.get(h) ?? -Infinity, pull));
    });
    return [...byItem].map(([i, weight]) => ({ item: i, weight })).sort((a, b) => b.weight - a.weight || a.item - b.item);
  }

  /** Arrays and meta for a ModelArtifact; the HNSW graph is kept so a restore does not rebuild it. */
  toArtifactParts(): { meta: Record<string, unknown>; arrays: Record<string, TypedArray> } {
    const arrays: Record<string, TypedArray> = {
      vectors: this.vectors.subarray(0, this.nTrained * this.dims),
      present: this.present.subarray(0, this.nTrained),
      ...csrArrays('users', this.users),
    };
    if (this.index.kind === 'hnsw') arrays.index = this.index.save();
    return { meta: { dims: this.dims, items: this.nTrained }, arrays };
  }

  /** Rebuilds a space saved with toArtifactParts. */
  static fromArtifact(a: ModelArtifact, options: VectorSpaceOptions): ItemVectorSpace {
    const dims = metaCount(a, 'dims');
    const nItems = metaCount(a, 'items');
    const { vectors, present, index } = a.arrays;
    if (!(vectors instanceof Float32Array) || !(present instanceof Uint8Array) || present.length !== nItems || vectors.length !== nItems * dims) {
      throw new EngineError('INVALID_INPUT', `${a.name} artifact lacks its item vectors`);
    }
    const users = csrFromArtifact(a, 'users', nItems);
    const graph = index instanceof Uint8Array ? TieredVectorIndex.load(index) : undefined;
    return new ItemVectorSpace(dims, vectors, present, users, options, graph);
  }

  /**
   * The history items with a vector and a positive weight (most recent `historyLimit`), with their weights: interaction
   * weight x recency for 'mean', recency alone for 'max' (there the weight only scales a cosine).
   */
  private seeds(user: number | SparseRow, aggregate: HistoryAggregate): { items: number[]; weights: number[] } {
    const row = recentHistory(resolveHistory(this.users, user, this.nItems), this.options.historyLimit);
    const values = aggregate === 'mean' ? row.values : row.values.map((v) => (v > 0 ? 1 : 0));
    const all = historyWeights(values, this.options.recencyHalfLife);
    const items: number[] = [];
    const weights: number[] = [];
    for (let j = 0; j < row.indices.length; j++) {
      if (!this.has(row.indices[j]) || all[j] === 0) continue;
      items.push(row.indices[j]);
      weights.push(all[j]);
    }
    return { items, weights };
  }

  /** 'max' score of an item: the best recency-weighted cosine with any seed (0 for an item without a vector). */
  private maxSimilarity(item: number, seeds: { items: number[]; weights: number[] }): number {
    if (!this.has(item) || seeds.items.length === 0) return 0;
    let best = -Infinity;
    seeds.items.forEach((h, j) => {
      best = Math.max(best, seeds.weights[j] * this.dotsOfItems(item, h));
    });
    return best;
  }

  /**
   * 'max' recall: the k nearest items of every seed, merged by best weighted cosine. Exact when the index is: an item
   * of the true top k is within the top k of the seed that gives its score (otherwise k items would beat it).
   */
  private recallNearestToHistory(seeds: { items: number[]; weights: number[] }, k: number, exclude: ArrayLike<number> | undefined): Scored[] {
    if (seeds.items.length === 0) return [];
    const excluded = exclude && exclude.length > 0 ? new Set(Array.from(exclude)) : undefined;
    const best = new Map<number, number>();
    const offer = (item: number, score: number): void => {
      if (score > (best.get(item) ?? -Infinity)) best.set(item, score);
    };
    seeds.items.forEach((h, j) => {
      const w = seeds.weights[j];
      if (!excluded?.has(h)) offer(h, w); // a history item is its own nearest neighbour (cosine 1)
      for (const hit of this.nearestOf(h, k, excluded)) offer(hit.index, w * hit.score);
    });
    const labels = [...best.keys()];
    return topK(Float64Array.from(labels, (i) => best.get(i) ?? 0), k).map(({ index, score }) => ({ index: labels[index], score }));
  }

  /** An item's k nearest non-excluded items: from its kept neighbour list when that reaches far enough. */
  private nearestOf(item: number, k: number, excluded: ReadonlySet<number> | undefined): Scored[] {
    const list = this.listOf(item);
    const out: Scored[] = [];
    for (let j = 0; j < list.labels.length && out.length < k; j++) {
      if (!excluded?.has(list.labels[j])) out.push({ index: list.labels[j], score: list.scores[j] });
    }
    if (out.length === k || list.complete) return out;
    const self = new Set(excluded);
    self.add(item);
    return this.search(this.rowOf(item), k, self);
  }

  /**
   * An item's neighbour list: a trained item's kept list (over the trained items) with the added items merged in by
   * their exact similarity; an added item's list is searched afresh (added items are few and not kept).
   */
  private listOf(item: number): NeighbourList {
    const size = this.neighbours.listSize;
    if (item >= this.nTrained) {
      const found = this.search(this.rowOf(item), size, new Set([item]));
      return { labels: Int32Array.from(found, (s) => s.index), scores: Float32Array.from(found, (s) => s.score), complete: found.length < size };
    }
    const kept = this.neighbours.of(item);
    if (!this.added || this.added.count === 0) return kept;
    let list = this.merged.get(item);
    if (!list) {
      list = mergeIntoList(kept, this.addedItems().map((a) => ({ index: a, score: this.dotsOfItems(item, a) })), size);
      if (this.merged.size >= MAX_MERGED_LISTS) this.merged.clear();
      this.merged.set(item, list);
    }
    return list;
  }

  /** Indexes of the added items that have a vector. */
  private addedItems(): number[] {
    const out: number[] = [];
    const added = this.added;
    if (!added) return out;
    for (let r = 0; r < added.count; r++) if (added.present[r] === 1) out.push(this.nTrained + r);
    return out;
  }

  /** The k nearest items: the trained index's answer merged with an exact scan of the added items. */
  private search(query: Float32Array, k: number, exclude: ReadonlySet<number> | undefined): Scored[] {
    const trained = this.index.search(query, k, { exclude });
    const added = this.addedItems().filter((a) => !exclude?.has(a));
    if (added.length === 0) return trained;
    const all = [...trained, ...added.map((a) => ({ index: a, score: this.dotWith(a, query) }))];
    return topK(Float64Array.from(all, (s) => s.score), k).map(({ index }) => all[index]);
  }

  /** An item's vector row (a view, not a copy). */
  private rowOf(item: number): Float32Array {
    if (item < this.nTrained) return this.vectors.subarray(item * this.dims, (item + 1) * this.dims);
    const r = item - this.nTrained;
    return (this.added as AddedVectors).vectors.subarray(r * this.dims, (r + 1) * this.dims);
  }

  /** Whether an item below nItems has a vector. */
  private has(item: number): boolean {
    if (item < this.nTrained) return this.present[item] === 1;
    const r = item - this.nTrained;
    return this.added !== undefined && r < this.added.count && this.added.present[r] === 1;
  }

  private scoreCandidates(k: number, candidates: ArrayLike<number>, exclude: ArrayLike<number> | undefined, score: (item: number) => number): Scored[] {
    const excluded = new Set(exclude ? Array.from(exclude) : []);
    const seen = new Set<number>();
    const items: number[] = [];
    for (let c = 0; c < candidates.length; c++) {
      const i = candidates[c];
      if (!Number.isInteger(i) || i < 0 || i >= this.nItems || seen.has(i) || excluded.has(i)) continue;
      seen.add(i);
      items.push(i);
    }
    const scores = Float64Array.from(items, (i) => (this.has(i) ? score(i) : 0));
    return topK(scores, k).map(({ index, score }) => ({ index: items[index], score }));
  }

  private dotWith(item: number, v: Float32Array): number {
    const u = this.rowOf(item);
    let s = 0;
    for (let d = 0; d < this.dims; d++) s += u[d] * v[d];
    return s;
  }

  private dotsOfItems(a: number, b: number): number {
    return this.dotWith(a, this.rowOf(b));
  }
}

/** Merged neighbour lists one space keeps at most (a new space is made for every added item, so few grow large). */
const MAX_MERGED_LISTS = 20_000;

function buildIndex(dims: number, vectors: Float32Array, present: Uint8Array, options: VectorSpaceOptions): TieredVectorIndex {
  const index = createVectorIndex({ dims, metric: 'cosine', exactBelow: options.exactBelow, hnsw: options.hnsw });
  index.addAll(vectors.subarray(0, present.length * dims), undefined, present);
  return index;
}

/** A unit-length Float32Array copy (zeros stay zeros). */
export function unit(v: ArrayLike<number>): Float32Array {
  let sq = 0;
  for (let d = 0; d < v.length; d++) sq += v[d] * v[d];
  const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  // a plain loop: Float32Array.from with a map function took most of the diversity stage's time (30 items a request)
  const out = new Float32Array(v.length);
  for (let d = 0; d < v.length; d++) out[d] = v[d] * inv;
  return out;
}

/** The space options carried by a model's params (semantic and hybrid share these keys). */
export function spaceOptionsOf(p: Pick<VectorSpaceOptions, 'aggregate' | 'historyLimit' | 'recencyHalfLife' | 'exactBelow'>): VectorSpaceOptions {
  return { aggregate: p.aggregate, historyLimit: p.historyLimit, recencyHalfLife: p.recencyHalfLife, exactBelow: p.exactBelow };
}
