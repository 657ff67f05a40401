import type { Vec } from './dense.js';

/**
 * Transposes an items x width matrix into width x items, so the output layer's loops run along the item axis.
 *
 * @example transpose(itemEmb, nItems, d, itemEmbT)
 */
export function transpose(a: Vec, rows: number, cols: number, out: Vec): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
}

/** out[r, c] += aT[c, r]: adds a width x items gradient back into the items x width layout. */
export function addTransposed(aT: Vec, rows: number, cols: number, out: Vec): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] += aT[c * rows + r];
}

/**
 * Cross-entropy of the next item over every item (full softmax, the loss the 2023 SASRec re-evaluations found
 * matters most): for each token t, logits_t = itemEmbT-columns · h_t and loss_t = logsumexp(logits_t) − logits_t[target_t].
 * Returns the mean loss over tokens and accumulates its gradients into dh (tokens x width) and dItemEmbT
 * (width x items). `logits` is a scratch row of nItems.
 *
 * @example const loss = fullSoftmaxLoss(h, itemEmbT, targets, d, nItems, dh, dItemEmbT, scratch)
 */
export function fullSoftmaxLoss(h: Vec, itemEmbT: Vec, targets: Int32Array, width: number, nItems: number, dh: Vec, dItemEmbT: Vec, logits: Vec): number {
  const rows = targets.length;
  const inv = 1 / rows;
  let loss = 0;
  for (let t = 0; t < rows; t++) {
    const ho = t * width;
    logits.fill(0, 0, nItems);
    for (let c = 0; c < width; c++) {
      const a = h[ho + c];
      const eo = c * nItems;
      for (let j = 0; j < nItems; j++) logits[j] += a * itemEmbT[eo + j];
    }
    const target = targets[t];
    const targetLogit = logits[target];
    let max = -Infinity;
    for (let j = 0; j < nItems; j++) if (logits[j] > max) max = logits[j];
    let sum = 0;
    for (let j = 0; j < nItems; j++) {
      const e = Math.exp(logits[j] - max);
      logits[j] = e;
      sum += e;
    }
    loss += Math.log(sum) + max - targetLogit;
    // gradient of the mean loss w.r.t. the logits: (softmax − one-hot) / rows
    const norm = inv / sum;
    for (let j = 0; j < nItems; j++) logits[j] *= norm;
    logits[target] -= inv;
    for (let c = 0; c < width; c++) {
      const eo = c * nItems;
      const a = h[ho + c];
      let s = 0;
      for (let j = 0; j < nItems; j++) {
        const g = logits[j];
        s += g * itemEmbT[eo + j];
        dItemEmbT[eo + j] += a * g;
      }
      dh[ho + c] += s;
    }
  }
  return loss * inv;
}

/**
 * Sampled softmax: cross-entropy of each token's target against the target plus a shared set of uniformly sampled
 * negative items (the batch's `negatives`, columns of negEmbT, width x m). A negative equal to the token's target is
 * left out of that token's softmax. With uniform sampling the log-q correction is the same for every item, so none is
 * applied. Returns the mean loss; accumulates dh, dItemEmb (targets' rows) and dNegEmbT.
 *
 * @example const loss = sampledSoftmaxLoss(h, itemEmb, negEmbT, negatives, targets, d, dh, dItemEmb, dNegEmbT, scratch)
 */
export function sampledSoftmaxLoss(
  h: Vec, itemEmb: Vec, negEmbT: Vec, negatives: Int32Array, targets: Int32Array, width: number,
  dh: Vec, dItemEmb: Vec, dNegEmbT: Vec, logits: Vec,
): number {
  const rows = targets.length;
  const m = negatives.length;
  const inv = 1 / rows;
  let loss = 0;
  for (let t = 0; t < rows; t++) {
    const ho = t * width;
    const target = targets[t];
    const to = target * width;
    let targetLogit = 0;
    for (let c = 0; c < width; c++) targetLogit += h[ho + c] * itemEmb[to + c];
    logits.fill(0, 0, m);
    for (let c = 0; c < width; c++) {
      const a = h[ho + c];
      const eo = c * m;
      for (let j = 0; j < m; j++) logits[j] += a * negEmbT[eo + j];
    }
    let max = targetLogit;
    for (let j = 0; j < m; j++) if (negatives[j] !== target && logits[j] > max) max = logits[j];
    let sum = Math.exp(targetLogit - max);
    const pTarget = sum;
    for (let j = 0; j < m; j++) {
      const e = negatives[j] === target ? 0 : Math.exp(logits[j] - max);
      logits[j] = e;
      sum += e;
    }
    loss += Math.log(sum) + max - targetLogit;
    const norm = inv / sum;
    for (let j = 0; j < m; j++) logits[j] *= norm;
    const gTarget = pTarget * norm - inv;
    for (let c = 0; c < width; c++) {
      const eo = c * m;
      const a = h[ho + c];
      let s = gTarget * itemEmb[to + c];
      dItemEmb[to + c] += gTarget * a;
      for (let j = 0; j < m; j++) {
        const g = logits[j];
        s += g * negEmbT[eo + j];
        dNegEmbT[eo + j] += a * g;
      }
      dh[ho + c] += s;
    }
  }
  return loss * inv;
}

/** Gathers the embedding rows of `items` into a width x items.length matrix (columns = items). */
export function gatherTransposed(itemEmb: Vec, items: Int32Array, width: number, out: Vec): void {
  const m = items.length;
  for (let j = 0; j < m; j++) {
    const o = items[j] * width;
    for (let c = 0; c < width; c++) out[c * m + j] = itemEmb[o + c];
  }
}

/** Adds a width x items.length gradient back into the rows of `items` (a repeated item gets every share). */
export function scatterTransposed(gradT: Vec, items: Int32Array, width: number, out: Vec): void {
  const m = items.length;
  for (let j = 0; j < m; j++) {
    const o = items[j] * width;
    for (let c = 0; c < width; c++) out[o + c] += gradT[c * m + j];
  }
}

/**
 * `count` distinct items drawn uniformly from 0 .. nItems − 1 (all of them, shuffled, when count ≥ nItems).
 *
 * @example sampleNegatives(1682, 256, rand)
 */
export function sampleNegatives(nItems: number, count: number, rand: () => number): Int32Array {
  if (count >= nItems) return Int32Array.from({ length: nItems }, (_, i) => i);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(rand() * nItems));
  return Int32Array.from(chosen);
}
