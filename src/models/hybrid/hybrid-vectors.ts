import type { CsrMatrix } from '../../core/sparse.js';
import { unit } from '../semantic/item-vector-space.js';

/** The collaborative half of a hybrid item vector: unit CF factors and how much each item's CF may be trusted. */
export interface CfSide {
  rank: number;
  /** Row-major items x rank, unit rows (zeros for items without interactions). */
  unitFactors: Float32Array;
  /** Per item, the share c_i of the CF part in its vector: cfWeight * n_i / (n_i + shrinkage). */
  confidence: Float32Array;
}

/**
 * Normalises CF factor rows and gives each item its CF share, growing with its number of users n_i:
 * `cfWeight * n_i / (n_i + shrinkage)`. An item with few interactions leans on its text, a well-known item on CF.
 *
 * @example cfSide(factors, rank, data.matrix, 0.5, 20).confidence[i] // 0.25 for an item with 20 users
 */
export function cfSide(factors: Float32Array, rank: number, matrix: CsrMatrix, cfWeight: number, shrinkage: number): CfSide {
  const nItems = matrix.cols;
  const users = new Int32Array(nItems);
  for (let p = 0; p < matrix.nnz; p++) users[matrix.indices[p]]++;
  const unitFactors = new Float32Array(nItems * rank);
  const confidence = new Float32Array(nItems);
  for (let i = 0; i < nItems; i++) {
    const row = unit(factors.subarray(i * rank, (i + 1) * rank));
    if (!row.some((x) => x !== 0)) continue;
    unitFactors.set(row, i * rank);
    confidence[i] = shrinkage > 0 ? (cfWeight * users[i]) / (users[i] + shrinkage) : cfWeight;
  }
  return { rank, unitFactors, confidence };
}

/**
 * One hybrid vector: `[sqrt(c) * cf, sqrt(1 - c) * text]` with unit cf and text parts, so the dot product of two
 * items is `sqrt(c_a c_b) cos_cf + sqrt((1 - c_a)(1 - c_b)) cos_text`. A missing half gives its weight to the other
 * (an item without text, i.e. an all-zero `text`, is all CF; an item nobody used is all text).
 *
 * @example hybridVector(cf, 3, textRow) // Float32Array of length cf.rank + textRow.length
 */
export function hybridVector(cf: CfSide, item: number, text: Float32Array): Float32Array {
  const { rank } = cf;
  const textDims = text.length;
  const out = new Float32Array(rank + textDims);
  const cfRow = item < cf.confidence.length ? cf.unitFactors.subarray(item * rank, (item + 1) * rank) : undefined;
  const hasCf = cfRow !== undefined && cf.confidence[item] > 0;
  const hasText = text.some((x) => x !== 0);
  const c = !hasCf ? 0 : !hasText ? 1 : cf.confidence[item];
  if (hasCf && cfRow) for (let r = 0; r < rank; r++) out[r] = Math.sqrt(c) * cfRow[r];
  if (hasText) for (let d = 0; d < textDims; d++) out[rank + d] = Math.sqrt(1 - c) * text[d];
  return out;
}

/**
 * A text-only vector of the hybrid space, `[0, text]`: how a free-text query or a brand-new item enters it.
 *
 * @example textOnlyVector(64, centredQuery).length // 64 + centredQuery.length
 */
export function textOnlyVector(rank: number, text: Float32Array): Float32Array {
  const out = new Float32Array(rank + text.length);
  out.set(text, rank);
  return out;
}
