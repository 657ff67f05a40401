import { causalAttentionBackward, causalAttentionForward, probabilityOffsets, type Segments } from './attention.js';
import { addInto, linearBackward, linearForward, reluBackwardInPlace, reluInPlace, zerosLike, type Vec } from './dense.js';
import { applyMask, embeddingBackward, embeddingForward, type MaskStream } from './embedding.js';
import { layerNormBackward, layerNormForward, type LayerNormCache } from './layer-norm.js';
import type { BlockParams, NetworkParams, NetworkShape } from './parameters.js';
import type { Allocate } from './scratch.js';
import { allItems, softmaxLoss } from './softmax-loss.js';
import { singleTargets, type SeenItems, type TokenTargets } from './token-targets.js';

/** Input tokens of a batch: sequences laid end to end (see Segments), each token's item and position. */
export interface TokenBatch {
  items: Int32Array;
  positions: Int32Array;
  seg: Segments;
}

/**
 * A training batch: each token's next item is its target. With `futureTargets` (tokens x K, row-major, −1 = none)
 * and their `futureWeights` each token instead predicts its next K items at once (see softmaxLoss); `targets` then
 * still holds the next item, the first of the K.
 */
export interface TrainingBatch extends TokenBatch {
  targets: Int32Array;
  futureTargets?: Int32Array;
  futureWeights?: Float32Array;
  /** Items each token's softmax leaves out (the user's, see SeenItems). */
  seen?: SeenItems;
}

/**
 * Positions counted from the end of the window: the latest input always sits at maxLength − 1 (as in SASRec's left
 * padding), so the position embeddings mean "how many steps before now" at training and inference alike.
 */
export function positionsFor(length: number, maxLength: number, out: Int32Array, at: number): void {
  for (let i = 0; i < length; i++) out[at + i] = maxLength - length + i;
}

/**
 * Input sequences laid end to end as one batch, each positioned as inference positions it (latest item last).
 *
 * @example const batch = tokenBatchOf([Int32Array.of(3, 4), Int32Array.of(7)], 50)
 */
export function tokenBatchOf(inputs: Int32Array[], maxLength: number): TokenBatch {
  const tokens = inputs.reduce((n, q) => n + q.length, 0);
  const items = new Int32Array(tokens);
  const positions = new Int32Array(tokens);
  const start = new Int32Array(inputs.length);
  const length = new Int32Array(inputs.length);
  let at = 0;
  inputs.forEach((q, w) => {
    items.set(q, at);
    positionsFor(q.length, maxLength, positions, at);
    start[w] = at;
    length[w] = q.length;
    at += q.length;
  });
  return { items, positions, seg: { start, length } };
}

/** Dropout during training: the rate and the seeded source of masks. */
export interface DropoutSpec {
  rate: number;
  masks: MaskStream;
}

interface BlockCache {
  xIn: Vec;
  h1: Vec; ln1: LayerNormCache;
  q: Vec; k: Vec; v: Vec; probs: Vec; offsets: Int32Array; ctx: Vec;
  maskA?: Float32Array;
  xMid: Vec;
  h2: Vec; ln2: LayerNormCache;
  f1: Vec;
  maskF?: Float32Array;
  xOut: Vec;
}

/** Everything forward keeps for backward. `out` is the final layer-normed hidden state (tokens x width). */
export interface ForwardCache {
  batch: TokenBatch;
  maskE?: Float32Array;
  blocks: BlockCache[];
  lnF: LayerNormCache;
  out: Vec;
}

const norm = (like: Vec, rows: number, width: number, zeros: Allocate): LayerNormCache => ({ xhat: zeros(like, rows * width), rstd: zeros(like, rows) });
const FLOAT32 = new Float32Array(0);

function dropout(x: Vec, spec: DropoutSpec | undefined, zeros: Allocate): Float32Array | undefined {
  if (!spec || spec.rate === 0) return undefined;
  const mask = spec.masks.next(zeros(FLOAT32, x.length), spec.rate);
  applyMask(x, mask);
  return mask;
}

function blockForward(p: BlockParams, s: NetworkShape, seg: Segments, xIn: Vec, drop: DropoutSpec | undefined, zeros: Allocate): BlockCache {
  const d = s.width;
  const T = xIn.length / d;
  const z = (n: number): Vec => zeros(xIn, n);
  const h1 = z(T * d);
  const ln1 = norm(xIn, T, d, zeros);
  layerNormForward(xIn, p.ln1Gain, p.ln1Bias, h1, T, d, ln1);
  const q = z(T * d);
  const k = z(T * d);
  const v = z(T * d);
  linearForward(h1, p.wq, p.bq, q, T, d, d);
  linearForward(h1, p.wk, p.bk, k, T, d, d);
  linearForward(h1, p.wv, p.bv, v, T, d, d);
  const { offsets, total } = probabilityOffsets(seg, s.heads);
  const probs = z(total);
  const ctx = z(T * d);
  causalAttentionForward(q, k, v, ctx, probs, offsets, seg, d, s.heads);
  const a = z(T * d);
  linearForward(ctx, p.wo, p.bo, a, T, d, d);
  const maskA = dropout(a, drop, zeros);
  const xMid = z(T * d);
  addInto(xMid, xIn, a);
  const h2 = z(T * d);
  const ln2 = norm(xIn, T, d, zeros);
  layerNormForward(xMid, p.ln2Gain, p.ln2Bias, h2, T, d, ln2);
  const f1 = z(T * s.hidden);
  linearForward(h2, p.w1, p.b1, f1, T, d, s.hidden);
  reluInPlace(f1);
  const f2 = z(T * d);
  linearForward(f1, p.w2, p.b2, f2, T, s.hidden, d);
  const maskF = dropout(f2, drop, zeros);
  const xOut = z(T * d);
  addInto(xOut, xMid, f2);
  return { xIn, h1, ln1, q, k, v, probs, offsets, ctx, maskA, xMid, h2, ln2, f1, maskF, xOut };
}

/** Backward of one block: dxOut in, returns dxIn; weight gradients accumulate into g. */
function blockBackward(p: BlockParams, g: BlockParams, s: NetworkShape, seg: Segments, c: BlockCache, dxOut: Vec, zeros: Allocate): Vec {
  const d = s.width;
  const T = dxOut.length / d;
  const z = (n: number): Vec => zeros(dxOut, n);
  const copy = (x: Vec): Vec => {
    const out = z(x.length);
    out.set(x);
    return out;
  };
  // x_out = x_mid + dropout(W2 relu(W1 LN2(x_mid)))
  const df2 = copy(dxOut);
  if (c.maskF) applyMask(df2, c.maskF);
  const df1 = z(T * s.hidden);
  linearBackward(c.f1, p.w2, df2, df1, g.w2, g.b2, T, s.hidden, d);
  reluBackwardInPlace(df1, c.f1);
  const dh2 = z(T * d);
  linearBackward(c.h2, p.w1, df1, dh2, g.w1, g.b1, T, d, s.hidden);
  const dxMid = copy(dxOut);
  layerNormBackward(dh2, p.ln2Gain, c.ln2, dxMid, g.ln2Gain, g.ln2Bias, T, d);
  // x_mid = x_in + dropout(Wo attention(LN1(x_in)))
  const da = copy(dxMid);
  if (c.maskA) applyMask(da, c.maskA);
  const dctx = z(T * d);
  linearBackward(c.ctx, p.wo, da, dctx, g.wo, g.bo, T, d, d);
  const dq = z(T * d);
  const dk = z(T * d);
  const dv = z(T * d);
  causalAttentionBackward(c.q, c.k, c.v, c.probs, c.offsets, seg, dctx, dq, dk, dv, d, s.heads);
  const dh1 = z(T * d);
  linearBackward(c.h1, p.wq, dq, dh1, g.wq, g.bq, T, d, d);
  linearBackward(c.h1, p.wk, dk, dh1, g.wk, g.bk, T, d, d);
  linearBackward(c.h1, p.wv, dv, dh1, g.wv, g.bv, T, d, d);
  const dxIn = dxMid;
  layerNormBackward(dh1, p.ln1Gain, c.ln1, dxIn, g.ln1Gain, g.ln1Bias, T, d);
  return dxIn;
}

/**
 * The SASRec-style forward pass: item + learned position embeddings, `blocks` pre-norm blocks of causal multi-head
 * self-attention and a ReLU feed-forward layer (each with a residual connection and dropout), then a final layer norm.
 * Without `drop` it is the inference pass. Buffers come from `zeros` (fresh by default).
 *
 * @example const cache = networkForward(params, shape, batch)
 */
export function networkForward(p: NetworkParams, s: NetworkShape, batch: TokenBatch, drop?: DropoutSpec, zeros: Allocate = zerosLike): ForwardCache {
  const d = s.width;
  const T = batch.items.length;
  const x0 = zeros(p.flat, T * d);
  embeddingForward(batch.items, batch.positions, p.itemEmb, p.posEmb, Math.sqrt(d), x0, d);
  const maskE = dropout(x0, drop, zeros);
  const blocks: BlockCache[] = [];
  let x = x0;
  for (const bp of p.blocks) {
    const c = blockForward(bp, s, batch.seg, x, drop, zeros);
    blocks.push(c);
    x = c.xOut;
  }
  const lnF = norm(x, T, d, zeros);
  const out = zeros(x, T * d);
  layerNormForward(x, p.lnGain, p.lnBias, out, T, d, lnF);
  return { batch, maskE, blocks, lnF, out };
}

/** Backward of networkForward from the gradient of the final hidden states; accumulates into g. */
export function networkBackward(p: NetworkParams, g: NetworkParams, s: NetworkShape, cache: ForwardCache, dOut: Vec, zeros: Allocate = zerosLike): void {
  const d = s.width;
  const T = cache.batch.items.length;
  let dx = zeros(dOut, T * d);
  layerNormBackward(dOut, p.lnGain, cache.lnF, dx, g.lnGain, g.lnBias, T, d);
  for (let b = cache.blocks.length - 1; b >= 0; b--) dx = blockBackward(p.blocks[b], g.blocks[b], s, cache.batch.seg, cache.blocks[b], dx, zeros);
  if (cache.maskE) applyMask(dx, cache.maskE);
  embeddingBackward(cache.batch.items, cache.batch.positions, dx, Math.sqrt(d), g.itemEmb, g.posEmb, d);
}

/** The batch's targets as the loss reads them: the next K items when the batch has them, else the next item. */
function targetsOf(batch: TrainingBatch): Int32Array | TokenTargets {
  const { futureTargets, futureWeights, items, seen } = batch;
  const masked = seen && { seen };
  if (!futureTargets || !futureWeights) return masked ? { ...singleTargets(batch.targets), ...masked } : batch.targets;
  return { items: futureTargets, weights: futureWeights, perToken: futureTargets.length / items.length, ...masked };
}

/**
 * One training step's loss and gradients: forward, cross-entropy of every token's next item (or next K items, see
 * TrainingBatch), backward. The softmax runs over every item, or, given `negatives`, over each token's targets plus
 * those shared sampled items; output weights are tied to the item embeddings. Gradients accumulate into g; returns
 * the mean loss. `zeros` gives the step's buffers (fresh ones by default; training passes a reused ScratchBuffers).
 *
 * @example const loss = lossAndGradients(params, grads, shape, batch, { rate: 0.2, masks: new MaskStream(seed) })
 */
export function lossAndGradients(
  p: NetworkParams, g: NetworkParams, s: NetworkShape, batch: TrainingBatch, drop?: DropoutSpec, negatives?: Int32Array, zeros: Allocate = zerosLike,
): number {
  const d = s.width;
  const cache = networkForward(p, s, batch, drop, zeros);
  const dOut = zeros(p.flat, cache.out.length);
  const loss = softmaxLoss(cache.out, p.itemEmb, negatives ?? allItems(s.items), targetsOf(batch), d, dOut, g.itemEmb);
  networkBackward(p, g, s, cache, dOut, zeros);
  return loss;
}
