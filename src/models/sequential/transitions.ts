import type { InteractionMatrix } from '../../core/interactions.js';
import type { CsrMatrix } from '../../core/sparse.js';
import { CsrBuilder } from '../csr-builder.js';
import type { FitControl } from '../fit-control.js';
import { topK } from '../topk.js';

export interface TransitionOptions {
  /** Items up to this many steps later count as following an item. */
  window: number;
  /** Weight of an item d steps later is distanceDecay^(d - 1). */
  distanceDecay: number;
  /** Successors kept per item. */
  neighbors: number;
}

/**
 * Each user's items in time order: `data.sequences` when present, else the matrix row ordered by `data.times`
 * (or by item index when there are no times).
 *
 * @example const seqs = sequencesOf(data);
 */
export function sequencesOf(data: InteractionMatrix): Int32Array[] {
  if (data.sequences) return data.sequences;
  const { matrix, times } = data;
  return Array.from({ length: matrix.rows }, (_, u) => {
    const start = matrix.indptr[u];
    const row = matrix.rowIndices(u).slice();
    if (!times) return row;
    const order = Array.from(row.keys()).sort((a, b) => times[start + a] - times[start + b] || a - b);
    return Int32Array.from(order, (j) => row[j]);
  });
}

/**
 * First-order "what comes next" probabilities: for every item a, the distance-decayed counts of items b that
 * followed a within `window` steps in some user's sequence (b ≠ a), normalised so each row sums to 1 before
 * pruning to the top `neighbors`. Rows are sorted by column.
 *
 * @example transitionMatrix(seqs, nItems, { window: 3, distanceDecay: 0.5, neighbors: 100 }, control)
 */
export async function transitionMatrix(sequences: Int32Array[], nItems: number, opts: TransitionOptions, control: FitControl): Promise<CsrMatrix> {
  // bucket every (source, successor, weight) pair by source with a counting sort
  const start = new Int32Array(nItems + 1);
  forEachPair(sequences, opts, (a) => start[a + 1]++);
  for (let i = 0; i < nItems; i++) start[i + 1] += start[i];
  const next = start.slice(0, nItems);
  const successor = new Int32Array(start[nItems]);
  const weight = new Float32Array(start[nItems]);
  forEachPair(sequences, opts, (a, b, w) => {
    const p = next[a]++;
    successor[p] = b;
    weight[p] = w;
  });

  const acc = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const out = new CsrBuilder(nItems);
  for (let a = 0; a < nItems; a++) {
    let nTouched = 0;
    let total = 0;
    for (let p = start[a]; p < start[a + 1]; p++) {
      const b = successor[p];
      if (acc[b] === 0) touched[nTouched++] = b;
      acc[b] += weight[p];
      total += weight[p];
    }
    const best = topK(acc, opts.neighbors, { candidates: touched.subarray(0, nTouched), distinctCandidates: true, above: 0 });
    out.pushRow(best.sort((x, y) => x.index - y.index).map((e) => ({ index: e.index, score: e.score / total })));
    for (let t = 0; t < nTouched; t++) acc[touched[t]] = 0;
    await control.step(a + 1);
  }
  return out.build(nItems);
}

/** Calls `fn(a, b, weight)` for every item b following a within the window (weights are > 0, so acc[b] > 0 marks b). */
function forEachPair(sequences: Int32Array[], opts: TransitionOptions, fn: (a: number, b: number, w: number) => void): void {
  for (const seq of sequences) {
    for (let p = 0; p < seq.length; p++) {
      let w = 1;
      for (let d = 1; d <= opts.window && p + d < seq.length; d++) {
        if (seq[p + d] !== seq[p] && w > 0) fn(seq[p], seq[p + d], w);
        w *= opts.distanceDecay;
      }
    }
  }
}

/**
 * The last `n` distinct items of a sequence, most recent first.
 *
 * @example recentDistinct(Int32Array.of(1, 2, 1, 3), 2) // [3, 1]
 */
export function recentDistinct(sequence: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let p = sequence.length - 1; p >= 0 && out.length < n; p--) if (!out.includes(sequence[p])) out.push(sequence[p]);
  return out;
}
