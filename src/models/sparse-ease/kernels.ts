import type { KernelEnv } from '../workers/pool.js';

/**
 * Worker kernels of the sparse EASE fit (solve.ts). Each is self-contained (the pool ships its source text to the
 * workers): no imports, no module-scope helpers, only its arguments and typed-array views over the shared memory.
 */

/** Byte offsets of the shared arrays and the item range one call works on. */
export interface PrunedGramArgs {
  /** users x items CSR (values already binary or weighted). */
  rowIndptr: number; rowIndices: number; rowValues: number; users: number;
  /** items x users CSR (its transpose). */
  colIndptr: number; colIndices: number; colValues: number; items: number; nnz: number;
  itemStart: number; itemEnd: number;
  /** Entries kept per Gram row (the largest co-occurrences). */
  keep: number;
  /** Out: items x keep slots of indices and values, and each row's length. */
  gramIndices: number; gramValues: number; gramLength: number;
}

/**
 * Rows [itemStart, itemEnd) of G = XᵀX without its diagonal, each pruned to its `keep` largest entries and stored
 * largest first (ties by item index, so the result does not depend on how rows are split among workers). The largest
 * raw co-occurrences, not cosines: ranking by cosine lost 5 % NDCG@10 on ml-latest-small (docs/models.md).
 * Cost: Σ over the row's users of their item counts.
 */
export function prunedGramKernel(env: KernelEnv, a: PrunedGramArgs): number {
  const buf = env.memory.buffer;
  const rowIndptr = new Int32Array(buf, a.rowIndptr, a.users + 1);
  const rowIndices = new Int32Array(buf, a.rowIndices, a.nnz);
  const rowValues = new Float32Array(buf, a.rowValues, a.nnz);
  const colIndptr = new Int32Array(buf, a.colIndptr, a.items + 1);
  const colIndices = new Int32Array(buf, a.colIndices, a.nnz);
  const colValues = new Float32Array(buf, a.colValues, a.nnz);
  const gramIndices = new Int32Array(buf, a.gramIndices, a.items * a.keep);
  const gramValues = new Float32Array(buf, a.gramValues, a.items * a.keep);
  const gramLength = new Int32Array(buf, a.gramLength, a.items);
  const acc = new Float64Array(a.items);
  const touched = new Int32Array(a.items);
  const scratch = new Float64Array(a.items);
  const chosen: number[] = [];

  // k-th largest of scratch[0..n) (1-based k), by quickselect over a copy; n > k
  function kthLargest(n: number, k: number): number {
    let lo = 0;
    let hi = n - 1;
    const target = k - 1;
    while (lo < hi) {
      const pivot = scratch[(lo + hi) >> 1];
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (scratch[i] > pivot) i++;
        while (scratch[j] < pivot) j--;
        if (i <= j) {
          const t = scratch[i];
          scratch[i] = scratch[j];
          scratch[j] = t;
          i++;
          j--;
        }
      }
      if (target <= j) hi = j;
      else if (target >= i) lo = i;
      else break;
    }
    return scratch[target];
  }

  for (let i = a.itemStart; i < a.itemEnd; i++) {
    let n = 0;
    for (let q = colIndptr[i]; q < colIndptr[i + 1]; q++) {
      const u = colIndices[q];
      const x = colValues[q];
      for (let p = rowIndptr[u]; p < rowIndptr[u + 1]; p++) {
        const j = rowIndices[p];
        if (j === i) continue;
        if (acc[j] === 0) touched[n++] = j;
        acc[j] += x * rowValues[p];
      }
    }
    chosen.length = 0;
    if (n <= a.keep) {
      for (let t = 0; t < n; t++) chosen.push(touched[t]);
    } else {
      for (let t = 0; t < n; t++) scratch[t] = acc[touched[t]];
      const threshold = kthLargest(n, a.keep);
      for (let t = 0; t < n; t++) if (acc[touched[t]] > threshold) chosen.push(touched[t]);
      // ties at the threshold: the lowest item indexes, so the row is the same however it was computed
      const ties: number[] = [];
      for (let t = 0; t < n; t++) if (acc[touched[t]] === threshold) ties.push(touched[t]);
      ties.sort((x, y) => x - y);
      for (let t = 0; chosen.length < a.keep && t < ties.length; t++) chosen.push(ties[t]);
    }
    chosen.sort((x, y) => acc[y] - acc[x] || x - y);
    const base = i * a.keep;
    for (let t = 0; t < chosen.length; t++) {
      gramIndices[base + t] = chosen[t];
      gramValues[base + t] = acc[chosen[t]];
    }
    gramLength[i] = chosen.length;
    for (let t = 0; t < n; t++) acc[touched[t]] = 0;
  }
  return 0;
}

export interface SolveColumnsArgs {
  items: number;
  keep: number;
  /** Support size: each target item is regressed on at most this many of its largest Gram neighbours. */
  neighbors: number;
  lambda: number;
  gramIndices: number; gramValues: number; gramLength: number; diagonal: number;
  itemStart: number; itemEnd: number;
  /** Out: items x neighbors slots of source items and weights (column j of B), and each column's length. */
  outIndices: number; outValues: number; outLength: number;
}

/**
 * EASE's column j restricted to a support S (its `neighbors` largest Gram entries): b = (G_SS + λI)⁻¹ G_Sj, the
 * exact ridge regression of item j on the items of S, which is what EASE's closed form gives for column j when S is
 * every other item. G_SS is read from the pruned rows of every item of S (an entry kept in either row counts; pairs
 * pruned from both are taken as 0). When pruning left G_SS + λI indefinite the ridge is doubled until its Cholesky
 * factor exists. Returns how many columns needed that.
 */
export function solveColumnsKernel(env: KernelEnv, a: SolveColumnsArgs): number {
  const buf = env.memory.buffer;
  const gramIndices = new Int32Array(buf, a.gramIndices, a.items * a.keep);
  const gramValues = new Float32Array(buf, a.gramValues, a.items * a.keep);
  const gramLength = new Int32Array(buf, a.gramLength, a.items);
  const diagonal = new Float64Array(buf, a.diagonal, a.items);
  const outIndices = new Int32Array(buf, a.outIndices, a.items * a.neighbors);
  const outValues = new Float32Array(buf, a.outValues, a.items * a.neighbors);
  const outLength = new Int32Array(buf, a.outLength, a.items);
  const m = a.neighbors;
  const pos = new Int32Array(a.items).fill(-1);
  const lower = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  let regularised = 0;

  // fills lower (s x s, full symmetric) with G_SS + ridge·I
  function fill(base: number, s: number, ridge: number): void {
    lower.fill(0, 0, s * s);
    for (let t = 0; t < s; t++) {
      const item = gramIndices[base + t];
      lower[t * s + t] = diagonal[item] + ridge;
      const row = item * a.keep;
      for (let r = 0; r < gramLength[item]; r++) {
        const other = pos[gramIndices[row + r]];
        if (other < 0) continue;
        lower[t * s + other] = gramValues[row + r];
        lower[other * s + t] = gramValues[row + r];
      }
    }
  }
  // in-place Cholesky of the lower triangle; false when a pivot is not positive
  function cholesky(s: number): boolean {
    for (let c = 0; c < s; c++) {
      let d = lower[c * s + c];
      for (let k = 0; k < c; k++) d -= lower[c * s + k] * lower[c * s + k];
      if (!(d > 0)) return false;
      const root = Math.sqrt(d);
      lower[c * s + c] = root;
      for (let r = c + 1; r < s; r++) {
        let v = lower[r * s + c];
        for (let k = 0; k < c; k++) v -= lower[r * s + k] * lower[c * s + k];
        lower[r * s + c] = v / root;
      }
    }
    return true;
  }

  for (let j = a.itemStart; j < a.itemEnd; j++) {
    const base = j * a.keep;
    const s = Math.min(m, gramLength[j]);
    for (let t = 0; t < s; t++) pos[gramIndices[base + t]] = t;
    let ridge = a.lambda;
    fill(base, s, ridge);
    let tries = 0;
    while (!cholesky(s)) {
      ridge *= 2;
      tries++;
      fill(base, s, ridge);
    }
    if (tries > 0) regularised++;
    // forward then back substitution: L y = G_Sj, Lᵀ b = y
    for (let t = 0; t < s; t++) {
      let v = gramValues[base + t];
      for (let k = 0; k < t; k++) v -= lower[t * s + k] * rhs[k];
      rhs[t] = v / lower[t * s + t];
    }
    for (let t = s - 1; t >= 0; t--) {
      let v = rhs[t];
      for (let k = t + 1; k < s; k++) v -= lower[k * s + t] * rhs[k];
      rhs[t] = v / lower[t * s + t];
    }
    const out = j * m;
    for (let t = 0; t < s; t++) {
      outIndices[out + t] = gramIndices[base + t];
      outValues[out + t] = rhs[t];
      pos[gramIndices[base + t]] = -1;
    }
    outLength[j] = s;
  }
  return regularised;
}
