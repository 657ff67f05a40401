import { EngineError } from '../core/errors.js';
import type { Scored } from '../core/types.js';
import { topK } from '../models/topk.js';
import { checkLabel, checkVector, normalisedCopy } from './vector-checks.js';
import type { VectorIndex, VectorMetric, VectorSearchOptions } from './vector-index.js';

/**
 * Brute-force search: every stored vector is scored against the query and a size-k heap keeps the best. Exact, no
 * build cost, and fast enough below some 20k vectors; the default below `createVectorIndex`'s threshold. Cosine
 * vectors are normalised on the way in, so search is one dot product per vector.
 *
 * @example const ix = new ExactVectorIndex(3, 'cosine'); ix.add(7, [1, 0, 0]); ix.search([1, 0.1, 0], 1) // [{ index: 7, score: 0.995 }]
 */
export class ExactVectorIndex implements VectorIndex {
  readonly kind = 'exact';
  private data: Float32Array;
  /** Per slot, the label stored there. */
  private labels: Int32Array;
  private readonly slotOf = new Map<number, number>();

  constructor(readonly dims: number, readonly metric: VectorMetric, initialCapacity = 64) {
    if (!Number.isInteger(dims) || dims <= 0) throw new EngineError('INVALID_CONFIG', 'vector index dims must be a positive integer', { path: 'dims' });
    const capacity = Math.max(1, initialCapacity);
    this.data = new Float32Array(capacity * dims);
    this.labels = new Int32Array(capacity);
  }

  get size(): number {
    return this.slotOf.size;
  }

  add(label: number, vector: ArrayLike<number>): void {
    checkLabel(label);
    checkVector(vector, this.dims);
    const stored = this.metric === 'cosine' ? normalisedCopy(vector) : Float32Array.from(vector);
    let slot = this.slotOf.get(label);
    if (slot === undefined) {
      slot = this.slotOf.size;
      if (slot === this.labels.length) this.grow();
      this.slotOf.set(label, slot);
      this.labels[slot] = label;
    }
    this.data.set(stored, slot * this.dims);
  }

  has(label: number): boolean {
    return this.slotOf.has(label);
  }

  /** The stored vector of a label (unit length for cosine), or undefined. */
  vectorOf(label: number): Float32Array | undefined {
    const slot = this.slotOf.get(label);
    return slot === undefined ? undefined : this.data.slice(slot * this.dims, (slot + 1) * this.dims);
  }

  /** Labels in insertion order. */
  storedLabels(): Int32Array {
    return this.labels.slice(0, this.size);
  }

  search(query: ArrayLike<number>, k: number, opts: VectorSearchOptions = {}): Scored[] {
    checkVector(query, this.dims);
    const q = this.metric === 'cosine' ? normalisedCopy(query) : Float32Array.from(query);
    const n = this.size;
    const scores = new Float32Array(n);
    const { exclude, filter } = opts;
    const d = this.dims;
    for (let s = 0; s < n; s++) {
      const label = this.labels[s];
      // NaN is never selected by topK: it marks excluded and filtered-out labels
      if ((exclude !== undefined && exclude.has(label)) || (filter !== undefined && !filter(label))) {
        scores[s] = Number.NaN;
        continue;
      }
      let dot = 0;
      const base = s * d;
      for (let j = 0; j < d; j++) dot += this.data[base + j] * q[j];
      scores[s] = dot;
    }
    return topK(scores, k).map(({ index, score }) => ({ index: this.labels[index], score }));
  }

  save(): Uint8Array {
    return encodeExact(this);
  }

  /** Rebuilds an index from `save()` bytes. @example ExactVectorIndex.load(ix.save()) */
  static load(bytes: Uint8Array): ExactVectorIndex {
    return decodeExact(bytes);
  }

  private grow(): void {
    const capacity = this.labels.length * 2;
    const data = new Float32Array(capacity * this.dims);
    data.set(this.data);
    const labels = new Int32Array(capacity);
    labels.set(this.labels);
    this.data = data;
    this.labels = labels;
  }

  /** Used by the codec: the packed vectors, one row per slot. */
  packedVectors(): Float32Array {
    return this.data.subarray(0, this.size * this.dims);
  }
}

// Binary layout: "KVEX" magic, u32 dims, u32 metric (0 cosine, 1 ip), u32 count, then count labels (i32) and
// count*dims floats (f32), little-endian. The whole buffer stays 4-byte aligned.
const EXACT_MAGIC = 0x5845564b; // "KVEX"
const METRIC_CODES: readonly VectorMetric[] = ['cosine', 'ip'];

function encodeExact(index: ExactVectorIndex): Uint8Array {
  const n = index.size;
  const out = new Uint8Array(16 + n * 4 + n * index.dims * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, EXACT_MAGIC, true);
  view.setUint32(4, index.dims, true);
  view.setUint32(8, METRIC_CODES.indexOf(index.metric), true);
  view.setUint32(12, n, true);
  const labels = index.storedLabels();
  const vectors = index.packedVectors();
  out.set(new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength), 16);
  out.set(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength), 16 + n * 4);
  return out;
}

/** True when the bytes start with the exact index's magic. */
export function isExactIndexBytes(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 16 && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true) === EXACT_MAGIC;
}

function decodeExact(bytes: Uint8Array): ExactVectorIndex {
  if (!isExactIndexBytes(bytes)) throw new EngineError('INVALID_INPUT', 'not an exact vector index');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = view.getUint32(4, true);
  const metric = METRIC_CODES[view.getUint32(8, true)];
  const n = view.getUint32(12, true);
  if (!metric || bytes.byteLength !== 16 + n * 4 + n * dims * 4) throw new EngineError('INVALID_INPUT', 'exact vector index bytes are truncated or corrupt');
  // copy: the source bytes may be unaligned or shared
  const labels = new Int32Array(bytes.slice(16, 16 + n * 4).buffer);
  const vectors = new Float32Array(bytes.slice(16 + n * 4).buffer);
  const index = new ExactVectorIndex(dims, metric, n);
  for (let s = 0; s < n; s++) index.add(labels[s], vectors.subarray(s * dims, (s + 1) * dims));
  return index;
}
