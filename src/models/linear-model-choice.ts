import type { DataShape } from './data-shape.js';
import { canonicalModelName } from './registry.js';

/**
 * The most items dense EASE is chosen for. Its n x n inverse takes 8·n² bytes in float32 (800 MB at 10,000 items)
 * and n³ time (about a minute at 10,000 items on two cores, docs/benchmarks.md); it is also EASE's `maxItems` default,
 * so below this dense EASE models every item with events.
 */
export const DENSE_EASE_MAX_ITEMS = 10_000;

/** The sparse model that takes dense EASE's place above DENSE_EASE_MAX_ITEMS. */
export const SPARSE_LINEAR_MODEL = 'sparse-ease';

/** EASE params sparse EASE has too (with the same meaning); any other explicit EASE param keeps dense EASE. */
const SHARED_PARAMS: ReadonlySet<string> = new Set(['lambda', 'binary']);

/** What was asked, what is fitted, and why (stored with the version and logged). */
export interface LinearModelChoice {
  model: string;
  params: Record<string, unknown>;
  /** Set when the asked model was replaced: the asked name, the item count and the threshold. */
  bySize?: { asked: string; items: number; denseMaxItems: number };
}

/**
 * The linear model to fit for a request on data of this shape: `ease` on more than DENSE_EASE_MAX_ITEMS items becomes
 * sparse EASE (which covers every item with events in linear memory) unless an explicit param only dense EASE has
 * (maxItems, dropout, userNorm, itemNorm, precision, dpEpsilon, ...) asks for dense EASE itself. Every other request
 * is returned as asked.
 *
 * @example linearModelForSize('ease', {}, { items: 98_612 } as DataShape).model // 'sparse-ease'
 */
export function linearModelForSize(asked: string, params: Record<string, unknown>, shape: Pick<DataShape, 'items'>): LinearModelChoice {
  const name = canonicalModelName(asked);
  if (name !== 'ease' || shape.items <= DENSE_EASE_MAX_ITEMS) return { model: name, params };
  if (Object.keys(params).some((key) => !SHARED_PARAMS.has(key))) return { model: name, params };
  return { model: SPARSE_LINEAR_MODEL, params, bySize: { asked: name, items: shape.items, denseMaxItems: DENSE_EASE_MAX_ITEMS } };
}
