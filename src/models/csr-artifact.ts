import { EngineError } from '../core/errors.js';
import { CsrMatrix } from '../core/sparse.js';
import type { ModelArtifact } from './model.js';

/**
 * The arrays of a CSR matrix for a ModelArtifact, under a name prefix (`<prefix>Indptr`, `Indices`, `Data`).
 *
 * @example arrays: { ...csrArrays('sim', this.similarity) }
 */
export function csrArrays(prefix: string, m: CsrMatrix): Record<string, Int32Array | Float32Array> {
  return { [`${prefix}Indptr`]: m.indptr, [`${prefix}Indices`]: m.indices, [`${prefix}Data`]: m.data };
}

/**
 * Reads back a matrix stored with csrArrays, checking array kinds and shape.
 *
 * @example const sim = csrFromArtifact(artifact, 'sim', nItems);
 */
export function csrFromArtifact(a: ModelArtifact, prefix: string, cols: number): CsrMatrix {
  const indptr = a.arrays[`${prefix}Indptr`];
  const indices = a.arrays[`${prefix}Indices`];
  const data = a.arrays[`${prefix}Data`];
  if (!(indptr instanceof Int32Array) || !(indices instanceof Int32Array) || !(data instanceof Float32Array)) {
    throw new EngineError('INVALID_INPUT', `${a.name} artifact lacks the ${prefix} matrix`);
  }
  const rows = indptr.length - 1;
  if (rows < 0 || indices.length !== data.length || indptr[rows] !== indices.length) {
    throw new EngineError('INVALID_INPUT', `${a.name} artifact has a malformed ${prefix} matrix`);
  }
  return new CsrMatrix(rows, cols, indptr, indices, data);
}

/** A non-negative integer from artifact meta, or EngineError INVALID_INPUT. */
export function metaCount(a: ModelArtifact, key: string): number {
  const v = a.meta[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new EngineError('INVALID_INPUT', `${a.name} artifact meta.${key} is missing`);
  return v;
}
