import { setImmediate as nextTurn } from 'node:timers/promises';
import { EngineError } from '../core/errors.js';
import type { Scored } from '../core/types.js';
import { HnswVectorIndex } from '../vectors/hnsw-index.js';
import type { HnswOptions } from '../vectors/vector-index.js';
import { topByFactors } from './linalg/factor-similarity.js';
import type { ItemFactorTable, ItemTopK } from './model.js';


/** Graph settings of the serving index; the defaults gave recall@10 ≥ 0.95 on items100k ALS (docs/serving.md). */
export interface InnerProductIndexOptions extends HnswOptions {
  /** Exclusions up to this many are handled by fetching k + |exclude| and dropping them; more go through a filter. */
  overFetchExclusions?: number;
}

export const INNER_PRODUCT_DEFAULTS: Required<Pick<InnerProductIndexOptions, 'm' | 'efConstruction' | 'efSearch' | 'overFetchExclusions'>> = {
  m: 16,
  efConstruction: 100,
  efSearch: 100,
  overFetchExclusions: 1024,
};

/** How the background build shares the thread with requests. */
export interface IndexBuildOptions {
  signal?: AbortSignal;
  /** Yield to the event loop after this many milliseconds of building (default 10). */
  sliceMs?: number;
}

/**
 * Approximate top-k by inner product over a factor model's items: an HNSW graph on the items' factors after the
 * Bachrach et al. (2014) transform. Each item vector ỹ = [y, b] gets one more coordinate √(M² − |ỹ|²), M the largest
 * norm, so every item has norm M and the cosine of the query [x, 1, 0] with it is x·y + b divided by a constant:
 * the inner-product order is the cosine order, which HNSW searches well (a raw inner-product graph does not, the
 * norms skew it). Returned items are re-scored exactly, so scores equal the model's; only which items are found is
 * approximate. Exclusions always hold.
 *
 * @example const ix = InnerProductIndex.build({ factors, stride: 64, items: n }); ix.topK(userVector, 10, exclude)
 */
export class InnerProductIndex implements ItemTopK {
  /** Use `build` or `buildInBackground`; the graph must hold the transformed rows of `table`. */
  constructor(
    private readonly table: ItemFactorTable,
    private readonly graph: HnswVectorIndex,
    private readonly overFetchExclusions: number,
    private readonly links: number,
  ) {}

  /** Builds the whole index on the calling thread (tests, small catalogues). */
  static build(table: ItemFactorTable, opts: InnerProductIndexOptions = {}): InnerProductIndex {
    const builder = new IndexBuilder(table, opts);
    builder.addRange(0, table.items);
    return builder.finish();
  }

  /**
   * Builds the index in slices of about `sliceMs`, yielding to the event loop between them so requests keep flowing
   * while a served model's index builds; resolves undefined when `signal` aborts (the model was replaced).
   *
   * @example const ix = await InnerProductIndex.buildInBackground(table, {}, { signal })
   */
  static async buildInBackground(table: ItemFactorTable, opts: InnerProductIndexOptions = {}, build: IndexBuildOptions = {}): Promise<InnerProductIndex | undefined> {
    const builder = new IndexBuilder(table, opts);
    const sliceMs = build.sliceMs ?? 10;
    let next = 0;
    while (next < table.items) {
      if (build.signal?.aborted) return undefined;
      const start = performance.now();
      while (next < table.items && performance.now() - start < sliceMs) {
        const end = Math.min(table.items, next + 64);
        builder.addRange(next, end);
        next = end;
      }
      await nextTurn();
    }
    return build.signal?.aborted ? undefined : builder.finish();
  }

  /** Changes the search beam width (higher: better recall, slower queries). */
  setEfSearch(ef: number): void {
    this.graph.setEfSearch(ef);
  }

  get items(): number {
    return this.table.items;
  }

  /** Bytes the graph's vectors and links take, roughly (hnswlib's level-0 layout). */
  get approximateBytes(): number {
    const dims = this.graph.dims;
    return this.table.items * (dims * 4 + 2 * this.links * 4 + 16);
  }

  /**
   * The k items with the highest x · y_i (+ b_i) the graph finds, never an excluded one, scores exact, best first.
   * A zero query has no direction to search in: it is answered exactly.
   */
  topK(x: ArrayLike<number>, k: number, exclude?: Int32Array): Scored[] {
    const { table } = this;
    const want = Math.min(k, table.items);
    if (want <= 0) return [];
    const query = this.query(x);
    if (query === undefined) return topByFactors(x, table.factors, table.stride, table.items, { k, exclude }, table.bias);
    const excluded = exclude && exclude.length > 0 ? new Set(exclude) : undefined;
    const overFetch = excluded !== undefined && excluded.size <= this.overFetchExclusions;
    const fetch = Math.min(table.items, overFetch ? want + excluded.size : want);
    const found = this.graph.search(query, fetch, excluded && !overFetch ? { exclude: excluded } : {});
    const out: Scored[] = [];
    for (const { index } of found) if (!excluded?.has(index)) out.push({ index, score: this.score(x, index) });
    out.sort((a, b) => b.score - a.score || a.index - b.index);
    return out.slice(0, want);
  }

  private score(x: ArrayLike<number>, item: number): number {
    const { factors, stride, bias } = this.table;
    let s = bias ? bias[item] : 0;
    for (let a = 0, base = item * stride; a < stride; a++) s += x[a] * factors[base + a];
    return s;
  }

  /** [x, 1 (when there are biases), 0], or undefined for a zero vector. */
  private query(x: ArrayLike<number>): Float32Array | undefined {
    const { stride, bias } = this.table;
    const q = new Float32Array(this.graph.dims);
    let norm = 0;
    for (let a = 0; a < stride; a++) {
      q[a] = x[a];
      norm += x[a] * x[a];
    }
    if (bias) q[stride] = 1;
    return norm > 0 ? q : undefined;
  }
}

/** Adds items one range at a time (so the background build can yield between ranges). */
class IndexBuilder {
  private readonly graph: HnswVectorIndex;
  private readonly maxNorm: number;
  private readonly vector: Float32Array;

  constructor(private readonly table: ItemFactorTable, private readonly opts: InnerProductIndexOptions) {
    const { factors, stride, items, bias } = table;
    if (factors.length < items * stride || (bias !== undefined && bias.length < items)) {
      throw new EngineError('INVALID_INPUT', 'item factor table is shorter than its item count');
    }
    const dims = stride + (bias ? 1 : 0) + 1;
    const o = { ...INNER_PRODUCT_DEFAULTS, ...opts };
    this.graph = new HnswVectorIndex(dims, 'cosine', { m: o.m, efConstruction: o.efConstruction, efSearch: o.efSearch, ...(o.seed === undefined ? {} : { seed: o.seed }) });
    this.graph.reserve(Math.max(1, items));
    this.vector = new Float32Array(dims);
    let max = 0;
    for (let i = 0; i < items; i++) max = Math.max(max, this.squaredNorm(i));
    // all-zero factors still get a direction (the extra coordinate), so the graph stays searchable
    this.maxNorm = Math.sqrt(max) || 1;
  }

  addRange(from: number, to: number): void {
    const { factors, stride, bias } = this.table;
    const v = this.vector;
    for (let i = from; i < to; i++) {
      v.set(factors.subarray(i * stride, (i + 1) * stride));
      if (bias) v[stride] = bias[i];
      v[v.length - 1] = Math.sqrt(Math.max(0, this.maxNorm * this.maxNorm - this.squaredNorm(i)));
      this.graph.add(i, v);
    }
  }

  finish(): InnerProductIndex {
    const o = { ...INNER_PRODUCT_DEFAULTS, ...this.opts };
    return new InnerProductIndex(this.table, this.graph, o.overFetchExclusions, o.m);
  }

  private squaredNorm(i: number): number {
    const { factors, stride, bias } = this.table;
    let s = bias ? bias[i] * bias[i] : 0;
    for (let a = i * stride; a < (i + 1) * stride; a++) s += factors[a] * factors[a];
    return s;
  }
}
