import { EngineError } from '../../core/errors.js';
import type { ItemContent } from '../model.js';

/** Item text vectors as a model receives them: row-major, index-aligned with the training items. */
export interface ContentVectors {
  vectors: Float32Array;
  dims: number;
  /** 1 where the row is a usable vector (finite, not all zeros). */
  present: Uint8Array;
}

/**
 * Checks FitContext.content for embeddings aligned with `nItems` items and marks which rows are usable. Throws
 * EngineError INVALID_INPUT naming the model when they are missing or mis-shaped.
 *
 * @example const text = contentVectors(ctx.content, data.items.size, 'semantic')
 */
export function contentVectors(content: ItemContent | undefined, nItems: number, model: string): ContentVectors {
  const embeddings = content?.embeddings;
  if (!embeddings) {
    throw new EngineError('INVALID_INPUT', `${model} needs item embeddings (FitContext.content.embeddings); run the item-embedding job first`, {
      path: 'content.embeddings',
    });
  }
  const dims = content?.dimensions ?? (nItems > 0 ? embeddings.length / nItems : 0);
  if (!Number.isInteger(dims) || dims <= 0 || embeddings.length !== nItems * dims) {
    throw new EngineError('INVALID_INPUT', `${model}: ${embeddings.length} embedding values do not make ${nItems} rows of ${dims}`, {
      path: 'content.dimensions',
    });
  }
  const present = new Uint8Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let nonZero = false;
    let finite = true;
    for (let d = i * dims; d < (i + 1) * dims; d++) {
      const x = embeddings[d];
      if (!Number.isFinite(x)) finite = false;
      else if (x !== 0) nonZero = true;
    }
    present[i] = nonZero && finite ? 1 : 0;
  }
  return { vectors: embeddings, dims, present };
}
