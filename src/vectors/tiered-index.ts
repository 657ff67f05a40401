import { EngineError } from '../core/errors.js';
import type { Scored } from '../core/types.js';
import { ExactVectorIndex, isExactIndexBytes } from './exact-index.js';
import { HnswVectorIndex, isHnswIndexBytes } from './hnsw-index.js';
import type { HnswOptions, VectorIndex, VectorMetric, VectorSearchOptions } from './vector-index.js';

export interface VectorIndexOptions {
  dims: number;
  metric: VectorMetric;
  /** Brute force while the index holds fewer labels than this; an HNSW graph from then on (default 20,000). */
  exactBelow?: number;
  hnsw?: HnswOptions;
}

/**
 * A vector index that is exact while small and switches itself to HNSW once it reaches `exactBelow` labels, so a
 * catalogue that grows item by item (cold-start items are added as they arrive) keeps fast queries without a
 * rebuild step. The switch copies every vector into the graph once.
 */
export class TieredVectorIndex implements VectorIndex {
  readonly exactBelow: number;
  readonly hnswOptions: HnswOptions;
  private inner: ExactVectorIndex | HnswVectorIndex;

  constructor(opts: VectorIndexOptions, inner?: ExactVectorIndex | HnswVectorIndex) {
    const exactBelow = opts.exactBelow ?? 20_000;
    if (!Number.isInteger(exactBelow) || exactBelow < 0) {
      throw new EngineError('INVALID_CONFIG', 'exactBelow must be a non-negative integer', { path: 'exactBelow' });
    }
    if (opts.metric !== 'cosine' && opts.metric !== 'ip') {
      throw new EngineError('INVALID_CONFIG', `vector metric must be cosine or ip, got ${String(opts.metric)}`, { path: 'metric' });
    }
    this.exactBelow = exactBelow;
    this.hnswOptions = { ...opts.hnsw };
    this.inner = inner ?? (exactBelow > 0 ? new ExactVectorIndex(opts.dims, opts.metric) : new HnswVectorIndex(opts.dims, opts.metric, opts.hnsw));
  }

  get kind(): 'exact' | 'hnsw' {
    return this.inner.kind;
  }

  get dims(): number {
    return this.inner.dims;
  }

  get metric(): VectorMetric {
    return this.inner.metric;
  }

  get size(): number {
    return this.inner.size;
  }

  add(label: number, vector: ArrayLike<number>): void {
    this.inner.add(label, vector);
    if (this.inner instanceof ExactVectorIndex && this.inner.size >= this.exactBelow) this.inner = toHnsw(this.inner, this.hnswOptions);
  }

  /**
   * Adds many row-major vectors at once (labels default to 0..n-1); a large batch goes straight into one graph.
   *
   * @example ix.addAll(itemVectors, undefined, present) // label i = row i, rows with present[i] === 0 skipped
   */
  addAll(vectors: Float32Array, labels?: ArrayLike<number>, present?: Uint8Array): void {
    const d = this.dims;
    const rows = vectors.length / d;
    if (!Number.isInteger(rows)) throw new EngineError('INVALID_INPUT', `vector data length ${vectors.length} is not a multiple of ${d}`, { path: 'vectors' });
    if (labels && labels.length !== rows) throw new EngineError('INVALID_INPUT', 'labels and vectors differ in length', { path: 'labels' });
    let adding = 0;
    for (let r = 0; r < rows; r++) if (!present || present[r]) adding++;
    if (this.inner instanceof ExactVectorIndex && this.inner.size + adding >= this.exactBelow) {
      const graph = toHnsw(this.inner, this.hnswOptions);
      graph.reserve(this.inner.size + adding);
      this.inner = graph;
    }
    for (let r = 0; r < rows; r++) {
      if (present && !present[r]) continue;
      this.add(labels ? labels[r] : r, vectors.subarray(r * d, (r + 1) * d));
    }
  }

  has(label: number): boolean {
    return this.inner.has(label);
  }

  search(query: ArrayLike<number>, k: number, opts?: VectorSearchOptions): Scored[] {
    return this.inner.search(query, k, opts);
  }

  save(): Uint8Array {
    const header = new TextEncoder().encode(JSON.stringify({ exactBelow: this.exactBelow, hnsw: this.hnswOptions }));
    const body = this.inner.save();
    const start = align8(8 + header.length);
    const out = new Uint8Array(start + body.byteLength);
    const view = new DataView(out.buffer);
    view.setUint32(0, TIERED_MAGIC, true);
    view.setUint32(4, header.length, true);
    out.set(header, 8);
    out.set(body, start);
    return out;
  }

  /** Rebuilds an index from `save()` bytes. @example TieredVectorIndex.load(ix.save()) */
  static load(bytes: Uint8Array): TieredVectorIndex {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < 8 || view.getUint32(0, true) !== TIERED_MAGIC) throw new EngineError('INVALID_INPUT', 'not a Kindred vector index');
    const len = view.getUint32(4, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as { exactBelow: number; hnsw: HnswOptions };
    const body = bytes.subarray(align8(8 + len));
    let inner: ExactVectorIndex | HnswVectorIndex;
    if (isExactIndexBytes(body)) inner = ExactVectorIndex.load(body);
    else if (isHnswIndexBytes(body)) inner = HnswVectorIndex.load(body);
    else throw new EngineError('INVALID_INPUT', 'vector index body is neither exact nor HNSW');
    return new TieredVectorIndex({ dims: inner.dims, metric: inner.metric, exactBelow: header.exactBelow, hnsw: header.hnsw }, inner);
  }
}

const TIERED_MAGIC = 0x4954564b; // "KVTI"
const align8 = (n: number): number => (n + 7) & ~7;

function toHnsw(exact: ExactVectorIndex, opts: HnswOptions): HnswVectorIndex {
  const graph = new HnswVectorIndex(exact.dims, exact.metric, opts);
  graph.reserve(Math.max(exact.size, 1));
  for (const label of exact.storedLabels()) {
    const v = exact.vectorOf(label);
    if (v) graph.add(label, v);
  }
  return graph;
}

/**
 * The one way to make a vector index: exact brute force below `exactBelow` labels, HNSW (hnswlib-node) above,
 * switching automatically as items are added.
 *
 * @example const ix = createVectorIndex({ dims: 100, metric: 'cosine' }); ix.add(0, v); ix.search(q, 10, { exclude: new Set([0]) })
 */
export function createVectorIndex(opts: VectorIndexOptions): TieredVectorIndex {
  return new TieredVectorIndex(opts);
}

/** Loads bytes written by any index's `save()`. @example const ix = loadVectorIndex(await readFile('items.kvi')) */
export function loadVectorIndex(bytes: Uint8Array): VectorIndex {
  if (isExactIndexBytes(bytes)) return ExactVectorIndex.load(bytes);
  if (isHnswIndexBytes(bytes)) return HnswVectorIndex.load(bytes);
  return TieredVectorIndex.load(bytes);
}
