import type { Scored } from '../core/types.js';

/** Which entries of a score array may be selected. */
export interface TopKFilter {
  /** Only these indexes are considered (re-ranking mode); duplicates are considered once. */
  candidates?: ArrayLike<number>;
  /** Promise that `candidates` has no duplicates, skipping an O(n) bookkeeping array (for hot loops). */
  distinctCandidates?: boolean;
  /** These indexes are never selected. */
  exclude?: ArrayLike<number>;
  /** Only scores strictly above this value are selected (e.g. 0 to keep items with some evidence). */
  above?: number;
}

/**
 * Selects the `k` highest scores with a size-k binary min-heap (O(n log k)); ties go to the lower index, so results
 * are deterministic. NaN scores are never selected. Returns scores sorted descending.
 *
 * @example topK(Float32Array.of(0.1, 0.9, 0.5), 2) // [{ index: 1, score: 0.9 }, { index: 2, score: 0.5 }]
 */
export function topK(scores: ArrayLike<number>, k: number, filter: TopKFilter = {}): Scored[] {
  const n = scores.length;
  if (k <= 0 || n === 0) return [];
  const above = filter.above ?? -Infinity;
  const heap = new ScoreHeap(Math.min(k, n));
  const exclude = filter.exclude && filter.exclude.length > 0 ? filter.exclude : undefined;
  if (filter.candidates) {
    offerCandidates(scores, filter.candidates, above, exclude, filter.distinctCandidates === true, heap);
    return heap.sortedDescending();
  }
  const excluded = exclude ? indexMask(exclude, n) : undefined;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    // `!(s > above)` also rejects NaN
    if (!(s > above) || (excluded !== undefined && excluded[i] === 1)) continue;
    heap.offer(i, s);
  }
  return heap.sortedDescending();
}

/** Candidate lists shorter than n / this ratio use sets for exclusions and duplicates instead of n-long masks. */
const FEW_CANDIDATES_RATIO = 32;

/** Membership over item indexes: a Set, or an n-long 0/1 mask. */
interface IndexSet {
  has(i: number): boolean;
  add(i: number): void;
}

function maskSet(mask: Uint8Array): IndexSet {
  return { has: (i) => mask[i] === 1, add: (i) => { mask[i] = 1; } };
}

/**
 * Offers each in-range candidate once. A few candidates out of a large catalogue are checked against sets: n-long
 * masks per call would make every re-ranking call O(catalogue) in allocation and zeroing (at 100k items, several such
 * calls ran per request).
 */
function offerCandidates(scores: ArrayLike<number>, candidates: ArrayLike<number>, above: number, exclude: ArrayLike<number> | undefined, distinct: boolean, heap: ScoreHeap): void {
  const n = scores.length;
  const few = candidates.length * FEW_CANDIDATES_RATIO < n;
  const excluded = exclude === undefined ? undefined : few ? new Set(Array.from(exclude)) : maskSet(indexMask(exclude, n));
  const seen = distinct ? undefined : few ? new Set<number>() : maskSet(new Uint8Array(n));
  for (let c = 0; c < candidates.length; c++) {
    const i = candidates[c];
    if (i < 0 || i >= n) continue;
    if (seen) {
      if (seen.has(i)) continue;
      seen.add(i);
    }
    const s = scores[i];
    // `!(s > above)` also rejects NaN
    if (!(s > above) || (excluded !== undefined && excluded.has(i))) continue;
    heap.offer(i, s);
  }
}

/** A 0/1 mask of length `n` with ones at `indexes` (out-of-range indexes are ignored). */
export function indexMask(indexes: ArrayLike<number>, n: number): Uint8Array {
  const mask = new Uint8Array(n);
  for (let j = 0; j < indexes.length; j++) {
    const i = indexes[j];
    if (i >= 0 && i < n) mask[i] = 1;
  }
  return mask;
}

/** Fixed-capacity min-heap on (score, -index): the root is the worst kept entry. */
class ScoreHeap {
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.idx = new Int32Array(capacity);
    this.val = new Float64Array(capacity);
  }

  /** True when entry a ranks below entry b (lower score, or equal score and higher index). */
  private worse(sa: number, ia: number, sb: number, ib: number): boolean {
    return sa < sb || (sa === sb && ia > ib);
  }

  offer(index: number, score: number): void {
    if (this.size < this.capacity) {
      this.siftUp(this.size++, index, score);
    } else if (this.worse(this.val[0], this.idx[0], score, index)) {
      this.siftDown(0, index, score);
    }
  }

  private siftUp(pos: number, index: number, score: number): void {
    let p = pos;
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (!this.worse(score, index, this.val[parent], this.idx[parent])) break;
      this.idx[p] = this.idx[parent];
      this.val[p] = this.val[parent];
      p = parent;
    }
    this.idx[p] = index;
    this.val[p] = score;
  }

  private siftDown(pos: number, index: number, score: number): void {
    let p = pos;
    for (;;) {
      const left = 2 * p + 1;
      if (left >= this.size) break;
      const right = left + 1;
      let child = left;
      if (right < this.size && this.worse(this.val[right], this.idx[right], this.val[left], this.idx[left])) child = right;
      if (!this.worse(this.val[child], this.idx[child], score, index)) break;
      this.idx[p] = this.idx[child];
      this.val[p] = this.val[child];
      p = child;
    }
    this.idx[p] = index;
    this.val[p] = score;
  }

  sortedDescending(): Scored[] {
    const out: Scored[] = [];
    for (let j = 0; j < this.size; j++) out.push({ index: this.idx[j], score: this.val[j] });
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }
}
