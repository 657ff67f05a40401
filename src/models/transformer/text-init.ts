import type { ItemContent } from '../model.js';
import { symmetricEigen } from '../hybrid/symmetric-eigen.js';
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky.js';
import { mulberry32 } from '../linalg/random.js';
import { contentVectors } from '../semantic/content-vectors.js';
import type { Vec } from './dense.js';

/**
 * Widest text space decomposed directly: Jacobi on a D × D covariance costs O(D³) per sweep, milliseconds at the
 * built-in encoder's 100 but seconds at local encoders' 384 and minutes at remote 1,536, so wider vectors first go
 * through a seeded Gaussian projection to this width (it keeps their angles roughly: Johnson–Lindenstrauss).
 */
const MAX_PCA_DIMS = 128;

/** What the text initialisation did (for the fit report and logs). */
export interface TextInitReport {
  /** Items whose embedding row now starts from their text. */
  items: number;
  /** Principal components used (min(width, text dims)). */
  components: number;
  /** Share of the (centred) text variance those components keep. */
  varianceKept: number;
}

/** Ridge penalty of the text-to-trained map, relative to the mean diagonal of XᵀX. */
const PLACEMENT_RIDGE = 0.05;

/**
 * Overwrites the embedding rows of items with text (`width` columns per row in `itemEmb`) with their text vectors'
 * principal components: the vectors are centred (the direction every text shares would otherwise make every item
 * score alike) and projected on the top-`width` eigenvectors of their covariance, so the dimensions the network
 * starts with are the ones along which item texts differ most, which a random projection spreads evenly instead.
 * The rows are then scaled to the default init's size (mean squared row norm 1, as N(0, 1/d) entries give); when the
 * text has fewer dimensions than `width`, the remaining columns keep their random values at the default scale.
 * Items without a usable vector keep their random rows. Deterministic for a given `seed`.
 *
 * @example const r = initialiseFromText(weights.itemEmb, 64, ctx.content, 42) // r.items rows now start from text
 */
export function initialiseFromText(itemEmb: Vec, width: number, content: ItemContent, seed: number): TextInitReport & { fromText: Uint8Array } {
  const items = itemEmb.length / width;
  const text = contentVectors(content, items, 'transformer');
  const rows = presentRows(text.present);
  const none = { items: 0, components: 0, varianceKept: 0, fromText: new Uint8Array(items) };
  if (rows.length < 2) return none;
  const { vectors, dims } = reduceWidth(text.vectors, text.dims, rows, seed);
  const mean = new Float64Array(dims);
  for (const i of rows) for (let c = 0; c < dims; c++) mean[c] += vectors[i * dims + c] / rows.length;
  const covariance = new Float64Array(dims * dims);
  const centred = new Float64Array(dims);
  for (const i of rows) {
    for (let c = 0; c < dims; c++) centred[c] = vectors[i * dims + c] - mean[c];
    for (let a = 0; a < dims; a++) {
      const x = centred[a];
      if (x !== 0) for (let b = a; b < dims; b++) covariance[a * dims + b] += x * centred[b];
    }
  }
  for (let a = 0; a < dims; a++) for (let b = 0; b < a; b++) covariance[a * dims + b] = covariance[b * dims + a];
  const { values, vectors: basis } = symmetricEigen(covariance, dims);
  const components = Math.min(width, dims);
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  const kept = values.subarray(0, components).reduce((s, v) => s + Math.max(v, 0), 0);
  if (total <= 0) return none;
  // Scores are dot products of rows: the text part gets the share components / width of the default unit row norm.
  const scale = Math.sqrt(((components / width) * rows.length) / kept);
  for (const i of rows) {
    for (let c = 0; c < dims; c++) centred[c] = vectors[i * dims + c] - mean[c];
    for (let k = 0; k < components; k++) {
      let s = 0;
      for (let c = 0; c < dims; c++) s += centred[c] * basis[c * dims + k];
      itemEmb[i * width + k] = s * scale;
    }
  }
  return { items: rows.length, components, varianceKept: kept / total, fromText: text.present };
}

/**
 * Items that were never a training target (no user moved on to them) only ever meet the softmax as negatives, which
 * pushes their rows down exactly where their text would have scored them high: training wipes out the start they
 * got. After training they are placed where training moved the items with similar text: a ridge regression from the
 * initial (text) rows to the trained rows, fitted on the targets that started from text, applied to the initial rows
 * of the untrained ones that did. Returns how many rows were placed.
 *
 * @example placeUntrainedItems(weights.itemEmb, initialRows, 64, init.fromText, sequences)
 */
export function placeUntrainedItems(itemEmb: Vec, initial: Float32Array, width: number, fromText: Uint8Array, sequences: readonly Int32Array[]): number {
  const items = fromText.length;
  const target = new Uint8Array(items);
  for (const seq of sequences) for (let t = 1; t < seq.length; t++) target[seq[t]] = 1;
  const fit: number[] = [];
  const place: number[] = [];
  for (let i = 0; i < items; i++) if (fromText[i] === 1) (target[i] === 1 ? fit : place).push(i);
  if (place.length === 0 || fit.length < 2) return 0;
  const d = width;
  const meanX = new Float64Array(d);
  const meanY = new Float64Array(d);
  for (const i of fit) for (let c = 0; c < d; c++) { meanX[c] += initial[i * d + c] / fit.length; meanY[c] += itemEmb[i * d + c] / fit.length; }
  const xtx = new Float64Array(d * d);
  const xty = new Float64Array(d * d);
  const x = new Float64Array(d);
  for (const i of fit) {
    for (let c = 0; c < d; c++) x[c] = initial[i * d + c] - meanX[c];
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        xtx[a * d + b] += x[a] * x[b];
        xty[a * d + b] += x[a] * (itemEmb[i * d + b] - meanY[b]);
      }
    }
  }
  let trace = 0;
  for (let a = 0; a < d; a++) trace += xtx[a * d + a];
  for (let a = 0; a < d; a++) xtx[a * d + a] += (PLACEMENT_RIDGE * trace) / d + 1e-9;
  if (!choleskyInPlace(xtx, d)) return 0;
  // W (d × d) column by column: (XᵀX + λI) w_b = Xᵀ y_b
  const map = new Float64Array(d * d);
  const column = new Float64Array(d);
  for (let b = 0; b < d; b++) {
    for (let a = 0; a < d; a++) column[a] = xty[a * d + b];
    choleskySolveInPlace(xtx, d, column);
    for (let a = 0; a < d; a++) map[a * d + b] = column[a];
  }
  for (const i of place) {
    for (let c = 0; c < d; c++) x[c] = initial[i * d + c] - meanX[c];
    for (let b = 0; b < d; b++) {
      let s = meanY[b];
      for (let a = 0; a < d; a++) s += x[a] * map[a * d + b];
      itemEmb[i * d + b] = s;
    }
  }
  return place.length;
}

function presentRows(present: Uint8Array): number[] {
  const rows: number[] = [];
  present.forEach((p, i) => { if (p === 1) rows.push(i); });
  return rows;
}

/** The text vectors as they are, or (wider than MAX_PCA_DIMS) through a seeded Gaussian projection to that width. */
function reduceWidth(vectors: Float32Array, dims: number, rows: number[], seed: number): { vectors: Float32Array; dims: number } {
  if (dims <= MAX_PCA_DIMS) return { vectors, dims };
  const rand = mulberry32(seed ^ 0x7e47);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const to = MAX_PCA_DIMS;
  const projection = Float64Array.from({ length: dims * to }, gauss);
  const out = new Float32Array((vectors.length / dims) * to);
  for (const i of rows) {
    for (let k = 0; k < to; k++) {
      let s = 0;
      for (let c = 0; c < dims; c++) s += vectors[i * dims + c] * projection[c * to + k];
      out[i * to + k] = s;
    }
  }
  return { vectors: out, dims: to };
}
