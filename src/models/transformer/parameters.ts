import { zerosLike, type Vec } from './dense.js';

/** The network's sizes (all fixed at creation; saved with the model). */
export interface NetworkShape {
  items: number;
  /** Embedding and hidden width d. */
  width: number;
  heads: number;
  blocks: number;
  /** Longest input sequence L (positions 0 .. L − 1, counted so the latest item sits at L − 1). */
  maxLength: number;
  /** Feed-forward inner width. */
  hidden: number;
}

/** One pre-norm Transformer block's weights (matrices are in x out, row-major). */
export interface BlockParams {
  ln1Gain: Vec; ln1Bias: Vec;
  wq: Vec; bq: Vec; wk: Vec; bk: Vec; wv: Vec; bv: Vec; wo: Vec; bo: Vec;
  ln2Gain: Vec; ln2Bias: Vec;
  w1: Vec; b1: Vec; w2: Vec; b2: Vec;
}

/** Views into one flat buffer; the same layout holds weights, gradients and Adam's moments. */
export interface NetworkParams {
  flat: Vec;
  /** items x width; also the output layer (tied weights). */
  itemEmb: Vec;
  /** maxLength x width, learned. */
  posEmb: Vec;
  blocks: BlockParams[];
  lnGain: Vec; lnBias: Vec;
}

function blockSizes(s: NetworkShape): Array<[keyof BlockParams, number]> {
  const d = s.width;
  return [
    ['ln1Gain', d], ['ln1Bias', d],
    ['wq', d * d], ['bq', d], ['wk', d * d], ['bk', d], ['wv', d * d], ['bv', d], ['wo', d * d], ['bo', d],
    ['ln2Gain', d], ['ln2Bias', d],
    ['w1', d * s.hidden], ['b1', s.hidden], ['w2', s.hidden * d], ['b2', d],
  ];
}

/** Number of scalars in the network. */
export function parameterCount(s: NetworkShape): number {
  const perBlock = blockSizes(s).reduce((sum, [, n]) => sum + n, 0);
  return (s.items + s.maxLength + 2) * s.width + s.blocks * perBlock;
}

/**
 * Named views over `flat` (length parameterCount(shape)).
 *
 * @example const grads = networkViews(new Float32Array(parameterCount(shape)), shape)
 */
export function networkViews(flat: Vec, s: NetworkShape): NetworkParams {
  let at = 0;
  const take = (n: number): Vec => flat.subarray(at, (at += n));
  const itemEmb = take(s.items * s.width);
  const posEmb = take(s.maxLength * s.width);
  const blocks: BlockParams[] = [];
  for (let b = 0; b < s.blocks; b++) {
    const block: Partial<BlockParams> = {};
    for (const [name, n] of blockSizes(s)) block[name] = take(n);
    blocks.push(block as BlockParams);
  }
  const lnGain = take(s.width);
  const lnBias = take(s.width);
  return { flat, itemEmb, posEmb, blocks, lnGain, lnBias };
}

/** A zeroed buffer shaped like `p` (gradients, optimiser moments). */
export function zerosLikeNetwork(p: NetworkParams, s: NetworkShape): NetworkParams {
  return networkViews(zerosLike(p.flat, p.flat.length), s);
}

/**
 * Fresh weights: embeddings N(0, 1/d) (so tied output logits start near unit scale), Glorot-uniform matrices, layer
 * norm gains 1 and every bias 0. Deterministic for a given `rand`.
 *
 * @example const p = initialParameters(shape, mulberry32(42))
 */
export function initialParameters(s: NetworkShape, rand: () => number, precision: 'f32' | 'f64' = 'f32'): NetworkParams {
  const n = parameterCount(s);
  const p = networkViews(precision === 'f64' ? new Float64Array(n) : new Float32Array(n), s);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const normal = (v: Vec, std: number): void => { for (let i = 0; i < v.length; i++) v[i] = gauss() * std; };
  const glorot = (v: Vec, fanIn: number, fanOut: number): void => {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < v.length; i++) v[i] = (2 * rand() - 1) * a;
  };
  const d = s.width;
  normal(p.itemEmb, 1 / Math.sqrt(d));
  normal(p.posEmb, 1 / Math.sqrt(d));
  for (const b of p.blocks) {
    b.ln1Gain.fill(1);
    b.ln2Gain.fill(1);
    for (const w of [b.wq, b.wk, b.wv, b.wo]) glorot(w, d, d);
    glorot(b.w1, d, s.hidden);
    glorot(b.w2, s.hidden, d);
  }
  p.lnGain.fill(1);
  return p;
}
