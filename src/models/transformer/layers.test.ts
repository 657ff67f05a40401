import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../linalg/random.js';
import { Adam } from './adam.js';
import {
  causalAttentionBackward, causalAttentionBackwardTs, causalAttentionForward, causalAttentionForwardTs, probabilityOffsets, type Segments,
} from './attention.js';
import { linearBackward, linearForward, reluBackwardInPlace, reluInPlace, type Vec } from './dense.js';
import { applyMask, embeddingBackward, embeddingForward, MaskStream } from './embedding.js';
import { gemmAccumulateTs } from './gemm.js';
import { layerNormBackward, layerNormForward } from './layer-norm.js';
import { lossAndGradients, type TrainingBatch } from './network.js';
import { initialParameters, zerosLikeNetwork, type NetworkShape } from './parameters.js';
import { allItems, sampleNegatives, softmaxLoss } from './softmax-loss.js';
import { singleTargets, type TokenTargets } from './token-targets.js';
import { SEEN_HISTORY, seenItemsOf } from './seen-items.js';
import { futureTargetsOf, trainingWindows } from './train.js';
import { WasmGemm } from './wasm-gemm.js';

// Gradient checks in float64: every analytic gradient is compared with central differences (h = 1e-6) of a scalar
// loss, L = Σ r ⊙ output with a fixed random r for layers, and the real cross-entropy for the loss and whole network.
const rand = mulberry32(11);
const randomVec = (n: number, scale = 1): Float64Array => Float64Array.from({ length: n }, () => (2 * rand() - 1) * scale);
const dot = (a: Vec, b: Vec): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Largest |analytic − numeric| / max(1, |numeric|) over every entry of x (perturbed in place and restored). */
function worstError(x: Float64Array, analytic: Vec, loss: () => number): number {
  let worst = 0;
  const h = 1e-6;
  for (let i = 0; i < x.length; i++) {
    const keep = x[i];
    x[i] = keep + h;
    const up = loss();
    x[i] = keep - h;
    const down = loss();
    x[i] = keep;
    const numeric = (up - down) / (2 * h);
    worst = Math.max(worst, Math.abs(analytic[i] - numeric) / Math.max(1, Math.abs(numeric)));
  }
  return worst;
}

/** softmaxLoss's gradients for h and the item embeddings, checked against finite differences of its loss. */
function checkedSoftmaxGradients(h: Float64Array, emb: Float64Array, candidates: Int32Array, targets: Int32Array | TokenTargets, width: number): { dh: Float64Array; dEmb: Float64Array } {
  const loss = (): number => softmaxLoss(h, emb, candidates, targets, width, new Float64Array(h.length), new Float64Array(emb.length));
  const [dh, dEmb] = [new Float64Array(h.length), new Float64Array(emb.length)];
  softmaxLoss(h, emb, candidates, targets, width, dh, dEmb);
  expect(worstError(h, dh, loss)).toBeLessThan(1e-7);
  expect(worstError(emb, dEmb, loss)).toBeLessThan(1e-7);
  return { dh, dEmb };
}

describe('transformer layers: gradients match finite differences', () => {
  it('linear layer (x, w, b)', () => {
    const [rows, nIn, nOut] = [3, 4, 5];
    const x = randomVec(rows * nIn);
    const w = randomVec(nIn * nOut);
    const b = randomVec(nOut);
    const r = randomVec(rows * nOut);
    const loss = (): number => { const y = new Float64Array(rows * nOut); linearForward(x, w, b, y, rows, nIn, nOut); return dot(y, r); };
    const [dx, dw, db] = [new Float64Array(x.length), new Float64Array(w.length), new Float64Array(b.length)];
    linearBackward(x, w, r, dx, dw, db, rows, nIn, nOut);
    for (const [v, g] of [[x, dx], [w, dw], [b, db]] as const) expect(worstError(v, g, loss)).toBeLessThan(1e-7);
  });

  it('ReLU', () => {
    const x = randomVec(20);
    const r = randomVec(20);
    const loss = (): number => dot(reluInPlace(x.slice()), r);
    const out = reluInPlace(x.slice());
    const dx = r.slice();
    reluBackwardInPlace(dx, out);
    expect(worstError(x, dx, loss)).toBeLessThan(1e-7);
  });

  it('layer norm (x, gain, bias)', () => {
    const [rows, width] = [3, 6];
    const x = randomVec(rows * width, 2);
    const gain = randomVec(width);
    const bias = randomVec(width);
    const r = randomVec(rows * width);
    const cache = { xhat: new Float64Array(rows * width), rstd: new Float64Array(rows) };
    const loss = (): number => { const y = new Float64Array(rows * width); layerNormForward(x, gain, bias, y, rows, width, cache); return dot(y, r); };
    loss();
    const [dx, dg, db] = [new Float64Array(x.length), new Float64Array(width), new Float64Array(width)];
    layerNormBackward(r, gain, cache, dx, dg, db, rows, width);
    for (const [v, g] of [[x, dx], [gain, dg], [bias, db]] as const) expect(worstError(v, g, loss)).toBeLessThan(1e-7);
  });

  it('causal multi-head attention over two segments (q, k, v)', () => {
    const seg: Segments = { start: Int32Array.of(0, 3), length: Int32Array.of(3, 4) };
    const [width, heads, tokens] = [4, 2, 7];
    const q = randomVec(tokens * width);
    const k = randomVec(tokens * width);
    const v = randomVec(tokens * width);
    const r = randomVec(tokens * width);
    const { offsets, total } = probabilityOffsets(seg, heads);
    const probs = new Float64Array(total);
    const loss = (): number => { const out = new Float64Array(tokens * width); causalAttentionForward(q, k, v, out, probs, offsets, seg, width, heads); return dot(out, r); };
    loss();
    const [dq, dk, dv] = [new Float64Array(q.length), new Float64Array(k.length), new Float64Array(v.length)];
    causalAttentionBackward(q, k, v, probs, offsets, seg, r, dq, dk, dv, width, heads);
    for (const [x, g] of [[q, dq], [k, dk], [v, dv]] as const) expect(worstError(x, g, loss)).toBeLessThan(1e-7);
  });

  it('attention is causal and stays inside its segment', () => {
    const seg: Segments = { start: Int32Array.of(0, 2), length: Int32Array.of(2, 3) };
    const [width, heads, tokens] = [2, 1, 5];
    const q = randomVec(tokens * width);
    const k = randomVec(tokens * width);
    const v = randomVec(tokens * width);
    const { offsets, total } = probabilityOffsets(seg, heads);
    const out = new Float64Array(tokens * width);
    causalAttentionForward(q, k, v, out, new Float64Array(total), offsets, seg, width, heads);
    // the first token of each segment sees only itself
    expect(Array.from(out.subarray(0, 2))).toEqual(Array.from(v.subarray(0, 2)));
    expect(Array.from(out.subarray(4, 6))).toEqual(Array.from(v.subarray(4, 6)));
  });

  it('item and learned position embeddings', () => {
    const [items, positions, width] = [Int32Array.of(2, 0, 2), Int32Array.of(0, 1, 2), 3];
    const itemEmb = randomVec(4 * width);
    const posEmb = randomVec(3 * width);
    const r = randomVec(items.length * width);
    const loss = (): number => { const x = new Float64Array(items.length * width); embeddingForward(items, positions, itemEmb, posEmb, 1.7, x, width); return dot(x, r); };
    const [dItem, dPos] = [new Float64Array(itemEmb.length), new Float64Array(posEmb.length)];
    embeddingBackward(items, positions, r, 1.7, dItem, dPos, width);
    expect(worstError(itemEmb, dItem, loss)).toBeLessThan(1e-7);
    expect(worstError(posEmb, dPos, loss)).toBeLessThan(1e-7);
    expect(dItem[width]).toBe(0); // item 1 never appears
  });

  it('dropout masks threshold the numbers of mulberry32(seed), in order across masks', () => {
    const masks = new MaskStream(7);
    const drawn = [...masks.next(new Float32Array(5), 0.3), ...masks.next(new Float32Array(40), 0.6)];
    const rand = mulberry32(7);
    const expected = [...Array.from({ length: 5 }, () => (rand() < 0.3 ? 0 : 1 / 0.7)), ...Array.from({ length: 40 }, () => (rand() < 0.6 ? 0 : 1 / 0.4))];
    expect(drawn).toEqual(expected.map(Math.fround));
    expect(drawn.filter((m) => m === 0).length).toBeGreaterThan(10);
  });

  it('dropout keeps the expected value and passes gradients through its mask', () => {
    const mask = new MaskStream(3).next(new Float32Array(10_000), 0.25);
    const zeros = mask.filter((m) => m === 0).length;
    expect(zeros / mask.length).toBeGreaterThan(0.23);
    expect(zeros / mask.length).toBeLessThan(0.27);
    expect(mask.reduce((s, m) => s + m, 0) / mask.length).toBeCloseTo(1, 1);
    const x = randomVec(30);
    const r = randomVec(30);
    const small = new MaskStream(4).next(new Float32Array(30), 0.5);
    const loss = (): number => { const y = x.slice(); applyMask(y, small); return dot(y, r); };
    const dx = r.slice();
    applyMask(dx, small);
    expect(worstError(x, dx, loss)).toBeLessThan(1e-7);
  });

  it('softmax cross-entropy over all items (hidden states and item embeddings)', () => {
    const [rows, width, nItems] = [5, 4, 6];
    const h = randomVec(rows * width, 2);
    const emb = randomVec(nItems * width);
    const targets = Int32Array.of(5, 0, 5, 1, 3);
    const all = allItems(nItems);
    const loss = (): number => softmaxLoss(h, emb, all, targets, width, new Float64Array(h.length), new Float64Array(emb.length));
    const [dh, dEmb] = [new Float64Array(h.length), new Float64Array(emb.length)];
    softmaxLoss(h, emb, all, targets, width, dh, dEmb);
    expect(worstError(h, dh, loss)).toBeLessThan(1e-7);
    expect(worstError(emb, dEmb, loss)).toBeLessThan(1e-7);
    // all-zero hidden state: every logit is 0 and the loss is log(nItems)
    expect(softmaxLoss(new Float64Array(width), emb, all, Int32Array.of(2), width, new Float64Array(width), new Float64Array(emb.length))).toBeCloseTo(Math.log(nItems), 12);
    // by hand: two items, h·e = (1, 0), target 0: loss = log(1 + e^-1)
    expect(softmaxLoss(Float64Array.of(1, 0), Float64Array.of(1, 0, 0, 1), allItems(2), Int32Array.of(0), 2, new Float64Array(2), new Float64Array(4))).toBeCloseTo(Math.log(1 + Math.exp(-1)), 12);
  });

  it('softmax over more tokens than one scoring chunk: the mean of each token\'s own loss, the same gradients', () => {
    const [rows, width, nItems] = [300, 2, 3];
    const h = randomVec(rows * width);
    const emb = randomVec(nItems * width);
    const targets = Int32Array.from({ length: rows }, (_, t) => t % nItems);
    const all = allItems(nItems);
    const [dh, dEmb] = [new Float64Array(h.length), new Float64Array(emb.length)];
    const loss = softmaxLoss(h, emb, all, targets, width, dh, dEmb);
    let sum = 0;
    const dEmbOne = new Float64Array(emb.length);
    for (let t = 0; t < rows; t++) {
      const dhOne = new Float64Array(width);
      sum += softmaxLoss(h.subarray(t * width, (t + 1) * width), emb, all, targets.subarray(t, t + 1), width, dhOne, dEmbOne);
      for (let c = 0; c < width; c++) expect(dh[t * width + c]).toBeCloseTo(dhOne[c] / rows, 12);
    }
    expect(loss).toBeCloseTo(sum / rows, 12);
    for (let i = 0; i < emb.length; i++) expect(dEmb[i]).toBeCloseTo(dEmbOne[i] / rows, 12);
  });

  it('sampled softmax over shared negatives, a negative equal to the target left out', () => {
    const [rows, width, nItems] = [3, 4, 7];
    const h = randomVec(rows * width, 2);
    const emb = randomVec(nItems * width);
    const targets = Int32Array.of(5, 0, 2);
    const negatives = Int32Array.of(1, 5, 6, 3);
    const loss = (): number => softmaxLoss(h, emb, negatives, targets, width, new Float64Array(h.length), new Float64Array(emb.length));
    const [dh, dEmb] = [new Float64Array(h.length), new Float64Array(emb.length)];
    softmaxLoss(h, emb, negatives, targets, width, dh, dEmb);
    expect(worstError(h, dh, loss)).toBeLessThan(1e-7);
    expect(worstError(emb, dEmb, loss)).toBeLessThan(1e-7);
    expect(dEmb[4 * width]).toBe(0); // item 4 is neither a target nor a negative
    const drawn = sampleNegatives(100, 30, mulberry32(2));
    expect(new Set(drawn).size).toBe(30);
    expect(sampleNegatives(5, 30, mulberry32(2))).toEqual(allItems(5));
  });

  it('multi-target softmax (next K items, weighted, one shared denominator): full and sampled, gaps and repeats', () => {
    const [rows, width, nItems, K] = [4, 3, 7, 3];
    const h = randomVec(rows * width, 2);
    const emb = randomVec(nItems * width);
    // row 1 repeats item 6 (its weights add up), row 2 has only one item ahead, row 3 has none
    const targets: TokenTargets = {
      items: Int32Array.of(1, 2, 3, 6, 0, 6, 4, -1, -1, -1, -1, -1),
      weights: Float32Array.of(4 / 7, 2 / 7, 1 / 7, 4 / 7, 2 / 7, 1 / 7, 1, 0, 0, 0, 0, 0),
      perToken: K,
    };
    for (const candidates of [allItems(nItems), Int32Array.of(5, 2, 6)]) {
      const { dh } = checkedSoftmaxGradients(h, emb, candidates, targets, width);
      expect(Array.from(dh.subarray(3 * width))).toEqual([0, 0, 0]); // no target, no gradient
    }
    // by hand: two items, h·e = (1, 0), targets 0 and 1 weighted ½ each: loss = log(e + 1) − ½
    const half: TokenTargets = { items: Int32Array.of(0, 1), weights: Float32Array.of(0.5, 0.5), perToken: 2 };
    expect(softmaxLoss(Float64Array.of(1, 0), Float64Array.of(1, 0, 0, 1), allItems(2), half, 2, new Float64Array(2), new Float64Array(4))).toBeCloseTo(Math.log(Math.E + 1) - 0.5, 12);
    // one target of weight 1 is the plain next-item loss
    const next = Int32Array.of(1, 6, 4, 0);
    const one: TokenTargets = { items: next, weights: new Float32Array(rows).fill(1), perToken: 1 };
    const zeros = (): [Float64Array, Float64Array] => [new Float64Array(h.length), new Float64Array(emb.length)];
    expect(softmaxLoss(h, emb, Int32Array.of(5, 2), one, width, ...zeros())).toBeCloseTo(softmaxLoss(h, emb, Int32Array.of(5, 2), next, width, ...zeros()), 12);
  });

  it('seen items leave the softmax (no share, no gradient) except a token\'s own targets; gradients still match', () => {
    const [rows, width, nItems] = [3, 4, 6];
    const h = randomVec(rows * width, 2);
    const emb = randomVec(nItems * width);
    // token 0 has seen item 1; token 1 items 1 and 2; token 2 items 1, 2 and 4, one of which (4) is its target
    const seen = { items: Int32Array.of(1, 2, 4), from: Int32Array.of(0, 0, 0), to: Int32Array.of(1, 2, 3) };
    const targets: TokenTargets = { ...singleTargets(Int32Array.of(3, 0, 4)), seen };
    for (const candidates of [allItems(nItems), Int32Array.of(2, 5, 1)]) {
      const { dEmb } = checkedSoftmaxGradients(h, emb, candidates, targets, width);
      expect(Array.from(dEmb.subarray(width, 2 * width))).toEqual([0, 0, 0, 0]); // item 1: seen by every token
    }
    // by hand, full softmax: each token's loss is log Σ over its unseen items (and its target) of e^z − z_target
    const z = (t: number, j: number): number => dot(h.subarray(t * width, (t + 1) * width), emb.subarray(j * width, (j + 1) * width));
    const lse = (t: number, items: number[]): number => Math.log(items.reduce((sum, j) => sum + Math.exp(z(t, j)), 0));
    const expected = (lse(0, [0, 2, 3, 4, 5]) - z(0, 3) + lse(1, [0, 3, 4, 5]) - z(1, 0) + lse(2, [0, 3, 4, 5]) - z(2, 4)) / 3;
    expect(softmaxLoss(h, emb, allItems(nItems), targets, width, new Float64Array(h.length), new Float64Array(emb.length))).toBeCloseTo(expected, 12);
  });

  it('seen items of a window: its inputs up to each token and at most SEEN_HISTORY items before it', () => {
    const seq = Int32Array.from({ length: SEEN_HISTORY + 8 }, (_, i) => i);
    const seen = seenItemsOf([{ seq: Int32Array.of(5, 6, 7), from: 1, length: 2 }, { seq, from: SEEN_HISTORY + 5, length: 3 }], Int32Array.of(0, 2));
    const of = (t: number): number[] => Array.from(seen.items.subarray(seen.from[t], seen.to[t]));
    expect(of(0)).toEqual([5, 6]);
    expect(of(1)).toEqual([5, 6, 7]);
    expect(of(2)).toEqual(Array.from({ length: SEEN_HISTORY + 1 }, (_, i) => 5 + i)); // 500 before, then its own input
    expect(of(4)).toEqual(Array.from({ length: SEEN_HISTORY + 3 }, (_, i) => 5 + i));
  });

  it('future targets: the next K items of each token, past the window\'s end, weights decayed and normalised', () => {
    const seqs = [Int32Array.of(10, 11, 12, 13, 14)];
    const windows = trainingWindows(seqs, 2); // inputs [12, 13] and [10, 11]
    const { futureTargets, futureWeights } = futureTargetsOf(windows, seqs, 4, { window: 3, decay: 0.5 });
    expect(Array.from(futureTargets)).toEqual([13, 14, -1, 14, -1, -1, 11, 12, 13, 12, 13, 14]);
    expect(Array.from(futureWeights).map((w) => Number(w.toFixed(6)))).toEqual([
      Number((2 / 3).toFixed(6)), Number((1 / 3).toFixed(6)), 0, 1, 0, 0,
      Number((4 / 7).toFixed(6)), Number((2 / 7).toFixed(6)), Number((1 / 7).toFixed(6)),
      Number((4 / 7).toFixed(6)), Number((2 / 7).toFixed(6)), Number((1 / 7).toFixed(6)),
    ]);
  });

  it('the whole network: every parameter, with dropout on (a fixed mask)', () => {
    const shape: NetworkShape = { items: 5, width: 4, heads: 2, blocks: 2, maxLength: 4, hidden: 6 };
    const p = initialParameters(shape, mulberry32(5), 'f64');
    const batch: TrainingBatch = {
      items: Int32Array.of(0, 1, 2, 3, 4, 1, 0),
      positions: Int32Array.of(1, 2, 3, 0, 1, 2, 3),
      targets: Int32Array.of(1, 2, 3, 4, 1, 0, 2),
      seg: { start: Int32Array.of(0, 3), length: Int32Array.of(3, 4) },
    };
    const loss = (): number => lossAndGradients(p, zerosLikeNetwork(p, shape), shape, batch, { rate: 0.3, masks: new MaskStream(9) });
    const g = zerosLikeNetwork(p, shape);
    lossAndGradients(p, g, shape, batch, { rate: 0.3, masks: new MaskStream(9) });
    expect(worstError(p.flat as Float64Array, g.flat, loss)).toBeLessThan(1e-6);
  });

  it('the whole network with multi-target batches (the next two items), every parameter', () => {
    const shape: NetworkShape = { items: 5, width: 4, heads: 2, blocks: 1, maxLength: 4, hidden: 6 };
    const p = initialParameters(shape, mulberry32(6), 'f64');
    const batch: TrainingBatch = {
      items: Int32Array.of(0, 1, 2, 3, 4, 1, 0),
      positions: Int32Array.of(1, 2, 3, 0, 1, 2, 3),
      targets: Int32Array.of(1, 2, 3, 4, 1, 0, 2),
      futureTargets: Int32Array.of(1, 2, 2, 3, 3, -1, 4, 1, 1, 0, 0, 2, 2, -1),
      futureWeights: Float32Array.of(2 / 3, 1 / 3, 2 / 3, 1 / 3, 1, 0, 2 / 3, 1 / 3, 2 / 3, 1 / 3, 2 / 3, 1 / 3, 1, 0),
      seg: { start: Int32Array.of(0, 3), length: Int32Array.of(3, 4) },
    };
    const loss = (): number => lossAndGradients(p, zerosLikeNetwork(p, shape), shape, batch, { rate: 0.3, masks: new MaskStream(9) }, Int32Array.of(0, 3));
    const g = zerosLikeNetwork(p, shape);
    lossAndGradients(p, g, shape, batch, { rate: 0.3, masks: new MaskStream(9) }, Int32Array.of(0, 3));
    expect(worstError(p.flat as Float64Array, g.flat, loss)).toBeLessThan(1e-6);
  });
});

describe('Adam', () => {
  it('moves each weight by the learning rate against its gradient sign on the first step, and decays weights', () => {
    const params = Float64Array.of(1, -2, 3);
    const opt = new Adam(3, { learningRate: 0.1, beta1: 0.9, beta2: 0.98, epsilon: 0, weightDecay: 0 });
    opt.step(params, Float64Array.of(0.5, -4, 1e-3));
    expect(Array.from(params).map((x) => Number(x.toFixed(10)))).toEqual([0.9, -1.9, 2.9]);
    const decayed = Float64Array.of(2);
    new Adam(1, { learningRate: 0.1, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0.5 }).step(decayed, Float64Array.of(0));
    expect(decayed[0]).toBeCloseTo(2 - 0.1 * 0.5 * 2, 10);
  });
});

describe('gemm', () => {
  const naive = (a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array => {
    const c = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) c[i * n + j] += a[i * k + p] * b[p * n + j];
    return c;
  };

  it('the TypeScript and WebAssembly paths add a · b into c, edges included', () => {
    // one WasmGemm for every shape, large first: smaller products must not see what larger ones left in its memory
    const wasm = new WasmGemm();
    for (const [m, k, n] of [[37, 64, 70], [7, 5, 6], [4, 8, 8], [1, 3, 1], [38, 16, 64]]) {
      const a = randomVec(m * k);
      const b = randomVec(k * n);
      const c0 = randomVec(m * n);
      const expected = naive(a, b, m, k, n).map((x, i) => x + c0[i]);
      const ts = c0.slice();
      gemmAccumulateTs(a, b, ts, m, k, n);
      for (let i = 0; i < ts.length; i++) expect(ts[i]).toBeCloseTo(expected[i], 10);
      const c32 = Float32Array.from(c0);
      wasm.accumulate(Float32Array.from(a), Float32Array.from(b), c32, m, k, n);
      for (let i = 0; i < c32.length; i++) expect(c32[i]).toBeCloseTo(expected[i], 4);
    }
  });
});

describe('attention on WebAssembly', () => {
  // the float32 WASM path is checked against the TypeScript path, whose gradients the checks above verify
  const close = (a: Float32Array, b: Float32Array): number => {
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
    return worst;
  };
  const random32 = (n: number): Float32Array => Float32Array.from(randomVec(n));

  for (const [width, heads] of [[8, 2], [64, 2], [48, 1]] as const) {
    it(`agrees with the TypeScript forward and backward (width ${width}, ${heads} heads, segments of 1..50 tokens)`, () => {
      const seg: Segments = { start: Int32Array.of(0, 1, 8, 58), length: Int32Array.of(1, 7, 50, 13) };
      const tokens = 71;
      const [q, k, v, dOut] = [0, 1, 2, 3].map(() => random32(tokens * width));
      const { offsets, total } = probabilityOffsets(seg, heads);
      const run = (forward: typeof causalAttentionForward, backward: typeof causalAttentionBackward) => {
        const out = new Float32Array(tokens * width);
        const probs = new Float32Array(total);
        forward(q, k, v, out, probs, offsets, seg, width, heads);
        // gradients accumulate: start from the same non-zero values
        const [dq, dk, dv] = [1, 2, 3].map((x) => new Float32Array(tokens * width).fill(0.01 * x));
        backward(q, k, v, probs, offsets, seg, dOut, dq, dk, dv, width, heads);
        return { out, probs, dq, dk, dv };
      };
      const simd = run(causalAttentionForward, causalAttentionBackward);
      const ts = run(causalAttentionForwardTs, causalAttentionBackwardTs);
      for (const key of ['out', 'probs', 'dq', 'dk', 'dv'] as const) expect(close(simd[key], ts[key]), key).toBeLessThan(2e-6);
      expect(simd.dq).not.toEqual(new Float32Array(tokens * width).fill(0.01));
    });
  }
});
