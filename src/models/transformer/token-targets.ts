import type { Vec } from './dense.js';

/**
 * Several weighted targets per token: `items` and `weights` are tokens x perToken, row-major; an item of −1 is no
 * target (a token near the end of its sequence has fewer items ahead of it).
 */
export interface TokenTargets {
  items: Int32Array;
  weights: Float32Array;
  perToken: number;
  /** Items each token's softmax leaves out (see SeenItems); absent: every candidate counts. */
  seen?: SeenItems;
}

/**
 * What each token's user already has, left out of its softmax as a served list leaves consumed items out: token t's
 * are items[from[t] .. to[t]), except its own targets.
 */
export interface SeenItems {
  items: Int32Array;
  from: Int32Array;
  to: Int32Array;
}

/** One target per token, weight 1: the plain next-item loss. */
export function singleTargets(targets: Int32Array): TokenTargets {
  return { items: targets, weights: new Float32Array(targets.length).fill(1), perToken: 1 };
}

/**
 * One token's targets against a softmax's candidates, shared by the TypeScript and WebAssembly softmax losses. A
 * target among the candidates is read from (and its gradient written to) the candidates' logits; a target outside
 * them is an "extra" whose logit is computed here from h and the item embeddings. Reused row after row.
 */
export class TokenTargetRow {
  /** Targets outside the candidates: their item, logit (then e^(logit − max)) and summed weight. */
  private readonly extraItem: Int32Array;
  private readonly extraValue: Float64Array;
  private readonly extraWeight: Float64Array;
  private extras = 0;
  /** Σ_k w_k over the token's targets. */
  totalWeight = 0;
  /** Σ_k w_k z_{t_k}. */
  weightedLogit = 0;

  constructor(private readonly targets: TokenTargets, private readonly column: Int32Array, private readonly width: number) {
    this.extraItem = new Int32Array(targets.perToken);
    this.extraValue = new Float64Array(targets.perToken);
    this.extraWeight = new Float64Array(targets.perToken);
  }

  /** Reads token t's targets: candidates' logits at logits[lo + column]; h's row t and itemEmb for the extras. */
  read(t: number, logits: Vec, lo: number, h: Vec, itemEmb: Vec): void {
    const { items, weights, perToken: K } = this.targets;
    const width = this.width;
    const ho = t * width;
    this.extras = 0;
    this.totalWeight = 0;
    this.weightedLogit = 0;
    for (let k = 0; k < K; k++) {
      const item = items[t * K + k];
      const w = weights[t * K + k];
      if (item < 0 || w === 0) continue;
      this.totalWeight += w;
      const col = this.column[item];
      if (col >= 0) {
        this.weightedLogit += w * logits[lo + col];
        continue;
      }
      let e = 0;
      while (e < this.extras && this.extraItem[e] !== item) e++;
      if (e === this.extras) {
        this.extraItem[e] = item;
        this.extraWeight[e] = 0;
        let z = 0;
        for (let c = 0; c < width; c++) z += h[ho + c] * itemEmb[item * width + c];
        this.extraValue[e] = z;
        this.extras++;
      }
      this.extraWeight[e] += w;
      this.weightedLogit += w * this.extraValue[e];
    }
  }

  /**
   * Sets the logits of token t's seen candidates (SeenItems) to −∞, so they take no share of the softmax and get no
   * gradient; its own targets stay. Call after read and before the row's max.
   */
  maskSeen(t: number, logits: Vec, lo: number): void {
    const seen = this.targets.seen;
    if (!seen) return;
    for (let p = seen.from[t]; p < seen.to[t]; p++) this.maskItem(t, seen.items[p], logits, lo);
  }

  private maskItem(t: number, item: number, logits: Vec, lo: number): void {
    const col = this.column[item];
    if (col < 0) return;
    const { items, perToken: K } = this.targets;
    for (let k = 0; k < K; k++) if (items[t * K + k] === item) return;
    logits[lo + col] = -Infinity;
  }

  /** The largest of `max` and the extras' logits. */
  maxWith(max: number): number {
    for (let e = 0; e < this.extras; e++) if (this.extraValue[e] > max) max = this.extraValue[e];
    return max;
  }

  /** Replaces the extras' logits by e^(z − max); returns their sum. */
  exponentiate(max: number): number {
    let sum = 0;
    for (let e = 0; e < this.extras; e++) {
      this.extraValue[e] = Math.exp(this.extraValue[e] - max);
      sum += this.extraValue[e];
    }
    return sum;
  }

  /**
   * The targets' part of d loss / d z (softmax · scale already in the candidates' logits): subtracts w_k · inv at the
   * candidates' columns, and adds each extra's gradient to dh's row t and its item's row of dItemEmb.
   */
  gradient(t: number, logits: Vec, lo: number, scale: number, inv: number, h: Vec, itemEmb: Vec, dh: Vec, dItemEmb: Vec): void {
    const { items, weights, perToken: K } = this.targets;
    const width = this.width;
    const ho = t * width;
    for (let k = 0; k < K; k++) {
      const item = items[t * K + k];
      if (item >= 0 && this.column[item] >= 0) logits[lo + this.column[item]] -= weights[t * K + k] * inv;
    }
    for (let e = 0; e < this.extras; e++) {
      const g = this.extraValue[e] * scale - this.extraWeight[e] * inv;
      const to = this.extraItem[e] * width;
      for (let c = 0; c < width; c++) {
        dh[ho + c] += g * itemEmb[to + c];
        dItemEmb[to + c] += g * h[ho + c];
      }
    }
  }
}

/**
 * Each item's column among the candidates, −1 for the others.
 *
 * @example candidateColumns(Int32Array.of(4, 1), 5) // [-1, 1, -1, -1, 0]
 */
export function candidateColumns(candidates: Int32Array, nItems: number): Int32Array {
  const column = new Int32Array(nItems).fill(-1);
  candidates.forEach((item, j) => (column[item] = j));
  return column;
}
