import { gemmAccumulate, transposeInto } from './gemm.js';
import { networkForward, tokenBatchOf, type TokenBatch } from './network.js';
import type { NetworkParams, NetworkShape } from './parameters.js';
import { allItems } from './softmax-loss.js';
import { candidateColumns, singleTargets, TokenTargetRow, type SeenItems } from './token-targets.js';
import { seenItemsOf } from './seen-items.js';

/**
 * Users whose latest item is held out to tell when training has converged: enough for a steady mean loss (its
 * epoch-to-epoch changes are paired over the same users), few enough that scoring it costs a small share of an epoch.
 */
export const HOLDOUT_MAX_USERS = 2_000;
/** Windows scored together when measuring held-out loss: bounds the forward pass's memory. */
const HOLDOUT_CHUNK = 256;

/** The held-out users' latest training items (inputs, laid end to end) and the item that followed each. */
export interface Holdout {
  batch: TokenBatch;
  targets: Int32Array;
  /** Per held-out user (as SeenItems per token): the items their softmax leaves out, when training masks them too. */
  seen?: SeenItems;
}

/**
 * Splits off the latest item of up to `maxUsers` users with at least three items (seeded choice), so at least two
 * remain to train on: training then sees those users' sequences without it, and the held-out loss (heldOutLoss)
 * measures how well the model predicts it from the items before. Sequences not chosen are returned as they are.
 *
 * @example const { training, holdout } = splitHoldout(sequences, 50, 2000, mulberry32(seed))
 */
export function splitHoldout(
  sequences: Int32Array[], maxLength: number, maxUsers: number, rand: () => number, maskSeen = false,
): { training: Int32Array[]; holdout?: Holdout } {
  const eligible: number[] = [];
  sequences.forEach((s, u) => { if (s.length >= 3) eligible.push(u); });
  // partial Fisher–Yates: the first `take` entries become a uniform sample
  const take = Math.min(maxUsers, eligible.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(rand() * (eligible.length - i));
    [eligible[i], eligible[j]] = [eligible[j], eligible[i]];
  }
  const chosen = eligible.slice(0, take).sort((a, b) => a - b);
  if (chosen.length === 0) return { training: sequences };
  const training = sequences.slice();
  const inputs = chosen.map((u) => {
    const seq = sequences[u];
    training[u] = seq.subarray(0, seq.length - 1);
    return training[u].subarray(Math.max(0, training[u].length - maxLength));
  });
  const targets = Int32Array.from(chosen, (u) => sequences[u][sequences[u].length - 1]);
  const holdout: Holdout = { batch: tokenBatchOf(inputs, maxLength), targets };
  if (maskSeen) {
    // what the last input's softmax leaves out in training: its window and the items before it
    const windows = chosen.map((u, i) => ({ seq: training[u], from: training[u].length - inputs[i].length, length: inputs[i].length }));
    const all = seenItemsOf(windows, holdout.batch.seg.start);
    const last = Int32Array.from(windows, (_, i) => holdout.batch.seg.start[i] + holdout.batch.seg.length[i] - 1);
    holdout.seen = { items: all.items, from: last.map((t) => all.from[t]), to: last.map((t) => all.to[t]) };
  }
  return { training, holdout };
}

/**
 * Mean cross-entropy of the held-out items over the full softmax (every item a candidate but the user's seen ones
 * when training leaves those out, no dropout): the quantity the trainer watches for convergence. The softmax is the
 * full one whatever the training's negatives, so the number means the same for every setting.
 */
export function heldOutLoss(p: NetworkParams, s: NetworkShape, holdout: Holdout): number {
  const d = s.width;
  const { batch, targets, seen } = holdout;
  const windows = targets.length;
  const itemsT = new Float32Array(s.items * d);
  transposeInto(p.itemEmb, s.items, d, itemsT);
  const last = new Float32Array(HOLDOUT_CHUNK * d);
  const logits = new Float32Array(HOLDOUT_CHUNK * s.items);
  // training's masking, over every item as the candidates (window w is token w of these targets)
  const masking = seen && new TokenTargetRow({ ...singleTargets(targets), seen }, candidateColumns(allItems(s.items), s.items), d);
  let sum = 0;
  for (let w0 = 0; w0 < windows; w0 += HOLDOUT_CHUNK) {
    const n = Math.min(HOLDOUT_CHUNK, windows - w0);
    const from = batch.seg.start[w0];
    const to = batch.seg.start[w0 + n - 1] + batch.seg.length[w0 + n - 1];
    const seg = { start: batch.seg.start.subarray(w0, w0 + n).map((x) => x - from), length: batch.seg.length.subarray(w0, w0 + n) };
    const { out } = networkForward(p, s, { items: batch.items.subarray(from, to), positions: batch.positions.subarray(from, to), seg });
    for (let w = 0; w < n; w++) {
      const at = (seg.start[w] + seg.length[w] - 1) * d;
      for (let c = 0; c < d; c++) last[w * d + c] = out[at + c];
    }
    logits.fill(0, 0, n * s.items);
    gemmAccumulate(last.subarray(0, n * d), itemsT, logits.subarray(0, n * s.items), n, d, s.items);
    for (let w = 0; w < n; w++) {
      const row = logits.subarray(w * s.items, (w + 1) * s.items);
      masking?.maskSeen(w0 + w, row, 0);
      let max = -Infinity;
      for (let j = 0; j < row.length; j++) if (row[j] > max) max = row[j];
      let z = 0;
      for (let j = 0; j < row.length; j++) z += Math.exp(row[j] - max);
      sum += Math.log(z) + max - row[targets[w0 + w]];
    }
  }
  return sum / windows;
}
