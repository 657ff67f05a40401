import type { Vec } from './dense.js';

/**
 * Input embedding: x_t = itemEmb[item_t] · scale + posEmb[position_t] (learned positions; `scale` is sqrt(width) as
 * in SASRec, so item vectors tied with the output layer are not swamped by positions).
 *
 * @example embeddingForward(items, positions, itemEmb, posEmb, Math.sqrt(d), x, d)
 */
export function embeddingForward(items: Int32Array, positions: Int32Array, itemEmb: Vec, posEmb: Vec, scale: number, x: Vec, width: number): void {
  for (let t = 0; t < items.length; t++) {
    const io = items[t] * width;
    const po = positions[t] * width;
    const xo = t * width;
    for (let c = 0; c < width; c++) x[xo + c] = itemEmb[io + c] * scale + posEmb[po + c];
  }
}

/** Backward of embeddingForward: scatters dx into the rows of dItemEmb (times scale) and dPosEmb. */
export function embeddingBackward(items: Int32Array, positions: Int32Array, dx: Vec, scale: number, dItemEmb: Vec, dPosEmb: Vec, width: number): void {
  for (let t = 0; t < items.length; t++) {
    const io = items[t] * width;
    const po = positions[t] * width;
    const xo = t * width;
    for (let c = 0; c < width; c++) {
      dItemEmb[io + c] += dx[xo + c] * scale;
      dPosEmb[po + c] += dx[xo + c];
    }
  }
}

/**
 * Inverted dropout masks, seeded: each entry is 0 with probability `rate`, else 1 / (1 − rate), so the expected
 * activation is unchanged and inference needs no rescaling. Entry i of the stream's masks, counted across masks, is
 * 0 when the i-th number of mulberry32(seed) is below `rate`; the generator's step is written out in one loop, with
 * its state in a local (a closure call per number cost as much as the rest of dropout).
 *
 * @example const masks = new MaskStream(seed); const mask = masks.next(new Float32Array(x.length), 0.2)
 */
export class MaskStream {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Fills `mask` with the stream's next mask.length entries; returns it. */
  next(mask: Float32Array, rate: number): Float32Array {
    const length = mask.length;
    const keep = 1 / (1 - rate);
    let a = this.state;
    for (let i = 0; i < length; i++) {
      // mulberry32's step (src/models/linalg/random.ts)
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      mask[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 < rate ? 0 : keep;
    }
    this.state = a;
    return mask;
  }
}

/** x *= mask element-wise (forward and backward of dropout alike). */
export function applyMask(x: Vec, mask: Float32Array): void {
  for (let i = 0; i < x.length; i++) x[i] *= mask[i];
}
