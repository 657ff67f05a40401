import type { DataShape } from '../data-shape.js';

/**
 * λ per unit of the typical Gram diagonal. EASE's ridge penalty competes with diag(XᵀX), so the λ that validates best
 * grows with how many interactions the items in a history have (DataShape.interactionItemCount). Fitted on the validation-best λ of ml-100k (RecBole protocol),
 * ml-latest-small (RecBole) and Amazon musical instruments (ratio), and checked on splits it was not fitted on:
 * docs/benchmarks.md, "Data-scaled defaults" (`npm run bench -- scaled-defaults`).
 */
export const LAMBDA_PER_ITEM_COUNT = 3;

/** Bounds that keep the rule sane on tiny or huge data (λ far outside them never validated best). */
const MIN_LAMBDA = 5;
const MAX_LAMBDA = 20_000;

/**
 * EASE's default λ for data of this shape: LAMBDA_PER_ITEM_COUNT × the typical Gram diagonal (item counts for binary
 * input, Σx² per item otherwise, each averaged over interactions), to 2 significant digits.
 *
 * @example easeDefaultLambda({ interactionItemCount: 130, interactionItemWeight: 130 }, true) // 390
 */
export function easeDefaultLambda(shape: Pick<DataShape, 'interactionItemCount' | 'interactionItemWeight'>, binary: boolean): number {
  const diagonal = binary ? shape.interactionItemCount : shape.interactionItemWeight;
  const lambda = LAMBDA_PER_ITEM_COUNT * diagonal;
  return Number(Math.min(MAX_LAMBDA, Math.max(MIN_LAMBDA, lambda)).toPrecision(2));
}
