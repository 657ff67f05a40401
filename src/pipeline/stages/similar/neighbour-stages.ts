import type { Item, Recommendation } from '../../../core/types.js';
import { keepAvailable } from '../../candidates.js';
import type { Stage } from '../../stage.js';
import type { Neighbour } from './neighbours.js';
import type { SimilarContext } from './similar-context.js';

/** A neighbour that may be shown, with its item record. */
export type ShownNeighbour = Neighbour & { item: Item };

/**
 * Keeps the neighbours that may be shown: not the item itself, not excluded, still in the catalogue, not hidden or
 * expired, and kept by the request's business rules; one store read.
 *
 * @example const shown = await neighbourAvailability.run(neighbours, ctx)
 */
export const neighbourAvailability: Stage<Neighbour[], ShownNeighbour[], SimilarContext> = {
  kind: 'filter',
  name: 'availability',
  async run(neighbours, ctx) {
    return keepAvailable(ctx.store, neighbours.filter((n) => n.itemId !== ctx.itemId), ctx.clock.now(), ctx.exclude, ctx.keepItem);
  },
};

/**
 * The answer: the first `count` shown neighbours with their titles and the reason that found them.
 *
 * @example const items = await neighbourReasons.run(shown, ctx)
 */
export const neighbourReasons: Stage<ShownNeighbour[], Recommendation[], SimilarContext> = {
  kind: 'explain',
  name: 'reasons',
  async run(shown, ctx) {
    return shown.slice(0, ctx.count).map((n) => ({ itemId: n.itemId, score: n.score, title: n.item.title, reasons: [n.reason] }));
  },
};
