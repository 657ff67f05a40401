import type { IdIndex } from './ids.js';
import type { CsrMatrix } from './sparse.js';

/**
 * The training view of the event log: a users x items matrix of aggregated, weighted interactions plus the
 * id mappings and, for order-aware models, each user's item sequence in time order.
 */
export interface InteractionMatrix {
  users: IdIndex;
  items: IdIndex;
  /** users x items, value = aggregated event weight (always > 0: negatives are kept out of the matrix). */
  matrix: CsrMatrix;
  /** Parallel to `matrix.data`: the latest timestamp (ms since epoch) of each user-item cell. */
  times?: Float64Array;
  /** Per user, item indexes in chronological order (repeats kept). */
  sequences?: Int32Array[];
}
