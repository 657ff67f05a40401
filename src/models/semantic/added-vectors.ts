/**
 * Item vectors of a model's space for items stored after its training, as one immutable snapshot: row r is item
 * `first + r`, for r below `count`. A snapshot is what a served state holds; the trained model is never written.
 */
export interface AddedVectors {
  /** Index of the first added item (the trained model's item count). */
  readonly first: number;
  readonly count: number;
  readonly dims: number;
  /** Row-major, at least `count` rows: rows past `count` belong to later snapshots and are never read through this one. */
  readonly vectors: Float32Array;
  /** 1 where the row has a non-zero vector. */
  readonly present: Uint8Array;
}

/**
 * Append-only rows of added item vectors. Why append-only instead of a copy per change: adding one item to a big
 * catalogue must not copy every vector, and a request in flight must keep exactly the items it started with. Appends
 * write only the row at `count`, which no snapshot taken earlier reads (each stops at its own count), and growing
 * moves the rows to a new buffer while earlier snapshots keep the old one; so a snapshot is O(1) to take, an append
 * O(dims) amortised, and readers need no lock.
 *
 * @example const log = new AddedVectorLog(model.itemCount, dims); log.append(vector); model.withAddedItems(log.snapshot())
 */
export class AddedVectorLog {
  private vectors: Float32Array;
  private present: Uint8Array;
  private rows = 0;

  constructor(readonly first: number, readonly dims: number, capacity = 16) {
    this.vectors = new Float32Array(Math.max(1, capacity) * dims);
    this.present = new Uint8Array(Math.max(1, capacity));
  }

  get count(): number {
    return this.rows;
  }

  /** Appends the next item's vector (already in the model's space; zeros for an item without one); returns its index. */
  append(vector: Float32Array): number {
    if (vector.length !== this.dims) throw new RangeError(`added vector has ${vector.length} dimensions, the space has ${this.dims}`);
    if (this.rows === this.present.length) this.grow();
    this.vectors.set(vector, this.rows * this.dims);
    this.present[this.rows] = vector.some((x) => x !== 0) ? 1 : 0;
    return this.first + this.rows++;
  }

  snapshot(): AddedVectors {
    return { first: this.first, count: this.rows, dims: this.dims, vectors: this.vectors, present: this.present };
  }

  private grow(): void {
    const capacity = this.present.length * 2;
    const vectors = new Float32Array(capacity * this.dims);
    vectors.set(this.vectors);
    const present = new Uint8Array(capacity);
    present.set(this.present);
    this.vectors = vectors;
    this.present = present;
  }
}
