import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HierarchicalNSW } from 'hnswlib-node';
import { EngineError, errorMessage } from '../core/errors.js';
import type { Scored } from '../core/types.js';
import { checkLabel, checkVector } from './vector-checks.js';
import type { HnswOptions, VectorIndex, VectorMetric, VectorSearchOptions } from './vector-index.js';

type HnswLib = typeof import('hnswlib-node');
let hnswlib: HnswLib | undefined;

/** Loads the native addon on first use (never at import time), with a clear error when it is missing. */
function loadHnswlib(): HnswLib {
  if (hnswlib) return hnswlib;
  try {
    hnswlib = createRequire(import.meta.url)('hnswlib-node') as HnswLib;
  } catch (e) {
    throw new EngineError('UNSUPPORTED', 'approximate nearest-neighbour search needs the hnswlib-node package (npm install hnswlib-node)', {
      cause: errorMessage(e),
    });
  }
  return hnswlib;
}

const DEFAULTS: Required<HnswOptions> = { m: 16, efConstruction: 200, efSearch: 64, seed: 100 };
const INITIAL_CAPACITY = 1024;

function resolveOptions(opts: HnswOptions): Required<HnswOptions> {
  const o = { ...DEFAULTS, ...opts };
  for (const [key, min, max] of [['m', 2, 128], ['efConstruction', 8, 4096], ['efSearch', 1, 4096]] as const) {
    const v = o[key];
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new EngineError('INVALID_CONFIG', `hnsw ${key} must be an integer in ${min}..${max}`, { path: key });
    }
  }
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new EngineError('INVALID_CONFIG', 'hnsw seed must be a non-negative integer', { path: 'seed' });
  return o;
}

/**
 * Approximate search over an HNSW graph (hnswlib's C++ via the hnswlib-node addon): sub-linear queries at a small
 * recall cost, for catalogues where brute force gets slow. The graph grows by doubling its capacity, so items can
 * be added one by one after the bulk build. Persisted through hnswlib's own file format (via a temporary file,
 * the only way its API allows).
 *
 * @example const ix = new HnswVectorIndex(100, 'cosine', { m: 16 }); ix.add(0, vec); ix.search(query, 10)
 */
export class HnswVectorIndex implements VectorIndex {
  readonly kind = 'hnsw';
  private options: Readonly<Required<HnswOptions>>;
  private readonly graph: HierarchicalNSW;
  private readonly labels: Set<number>;
  private capacity: number;

  constructor(readonly dims: number, readonly metric: VectorMetric, opts: HnswOptions = {}, restored?: { graph: HierarchicalNSW }) {
    if (!Number.isInteger(dims) || dims <= 0) throw new EngineError('INVALID_CONFIG', 'vector index dims must be a positive integer', { path: 'dims' });
    this.options = resolveOptions(opts);
    if (restored) {
      this.graph = restored.graph;
      this.capacity = this.graph.getMaxElements();
      this.labels = new Set(this.graph.getIdsList());
    } else {
      this.graph = new (loadHnswlib().HierarchicalNSW)(metric, dims);
      this.capacity = INITIAL_CAPACITY;
      this.graph.initIndex({ maxElements: this.capacity, m: this.options.m, efConstruction: this.options.efConstruction, randomSeed: this.options.seed });
      this.labels = new Set();
    }
    this.graph.setEf(this.options.efSearch);
  }

  get size(): number {
    return this.labels.size;
  }

  /** Changes the search beam width (higher: better recall, slower queries); saved with the index. */
  setEfSearch(ef: number): void {
    this.options = resolveOptions({ ...this.options, efSearch: ef });
    this.graph.setEf(this.options.efSearch);
  }

  /** Reserves room for `n` labels in one resize (a bulk build avoids repeated doublings). */
  reserve(n: number): void {
    if (n > this.capacity) {
      this.capacity = n;
      this.graph.resizeIndex(n);
    }
  }

  add(label: number, vector: ArrayLike<number>): void {
    checkLabel(label);
    checkVector(vector, this.dims);
    if (!this.labels.has(label) && this.labels.size >= this.capacity) this.reserve(this.capacity * 2);
    // hnswlib replaces the vector of a label it already holds
    this.graph.addPoint(Array.from(vector), label);
    this.labels.add(label);
  }

  has(label: number): boolean {
    return this.labels.has(label);
  }

  search(query: ArrayLike<number>, k: number, opts: VectorSearchOptions = {}): Scored[] {
    checkVector(query, this.dims);
    const want = Math.min(k, this.size);
    if (want <= 0) return [];
    this.graph.setEf(Math.max(this.options.efSearch, want));
    const { exclude, filter } = opts;
    const keep = exclude || filter
      ? (label: number): boolean => !(exclude !== undefined && exclude.has(label)) && (filter === undefined || filter(label))
      : undefined;
    const found = this.graph.searchKnn(Array.from(query), want, keep);
    // hnswlib distances are 1 - cosine ('cosine') and 1 - dot ('ip'), so similarity is 1 - distance for both
    const out = found.neighbors.map((label, j) => ({ index: label, score: 1 - found.distances[j] }));
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }

  save(): Uint8Array {
    const graphBytes = withTempFile((file) => {
      this.graph.writeIndexSync(file);
      return readFileSync(file);
    });
    const header = new TextEncoder().encode(JSON.stringify({ dims: this.dims, metric: this.metric, ...this.options }));
    const start = align8(8 + header.length);
    const out = new Uint8Array(start + graphBytes.byteLength);
    const view = new DataView(out.buffer);
    view.setUint32(0, HNSW_MAGIC, true);
    view.setUint32(4, header.length, true);
    out.set(header, 8);
    out.set(graphBytes, start);
    return out;
  }

  /** Rebuilds an index from `save()` bytes. @example HnswVectorIndex.load(ix.save()) */
  static load(bytes: Uint8Array): HnswVectorIndex {
    if (!isHnswIndexBytes(bytes)) throw new EngineError('INVALID_INPUT', 'not an HNSW vector index');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const len = view.getUint32(4, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as Required<HnswOptions> & { dims: number; metric: VectorMetric };
    const graph = new (loadHnswlib().HierarchicalNSW)(header.metric, header.dims);
    withTempFile((file) => {
      writeFileSync(file, bytes.subarray(align8(8 + len)));
      graph.readIndexSync(file);
    });
    const { dims, metric, ...options } = header;
    return new HnswVectorIndex(dims, metric, options, { graph });
  }
}

const HNSW_MAGIC = 0x4e48564b; // "KVHN"
const align8 = (n: number): number => (n + 7) & ~7;

/** True when the bytes start with the HNSW index's magic. */
export function isHnswIndexBytes(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 8 && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true) === HNSW_MAGIC;
}

function withTempFile<T>(fn: (file: string) => T): T {
  const file = join(tmpdir(), `kindred-hnsw-${randomUUID()}.bin`);
  try {
    return fn(file);
  } finally {
    try {
      unlinkSync(file);
    } catch {
      // already gone (the writer failed before creating it)
    }
  }
}
