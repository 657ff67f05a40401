import type { DataShape } from '../data-shape.js';

/**
 * EASE's default λ = LAMBDA_BASE + LAMBDA_PER_ITEM_COUNT · (typical Gram diagonal). The ridge penalty competes with
 * diag(XᵀX), so the λ that validates best grows with how many interactions the items of a history have
 * (DataShape.interactionItemCount); the base keeps sparse data (few co-occurrences per item) from getting too little
 * shrinkage. Both constants minimise the validation NDCG@10 lost against the best λ of a sweep on ml-100k (RecBole
 * protocol), ml-latest-small (RecBole) and Amazon musical instruments (ratio), and were checked on splits not used to
 * fit them: docs/benchmarks.md, "Data-scaled defaults" (`npm run bench -- scaled-defaults`).
 */
export const LAMBDA_BASE = 75;
export const LAMBDA_PER_ITEM_COUNT = 2;

/** Upper bound that keeps the rule sane on huge data (no sweep validated a λ near it). */
const MAX_LAMBDA = 20_000;

/**
 * EASE's default λ for data of this shape: LAMBDA_BASE + LAMBDA_PER_ITEM_COUNT × the typical Gram diagonal (item
 * counts for binary input, Σx² per item otherwise, each averaged over interactions), to 2 significant digits.
 *
 * @example easeDefaultLambda({ interactionItemCount: 130, interactionItemWeight: 130 }, true) // 340
 */
export function easeDefaultLambda(shape: Pick<DataShape, 'interactionItemCount' | 'interactionItemWeight'>, binary: boolean): number {
  const diagonal = binary ? shape.interactionItemCount : shape.interactionItemWeight;
  const lambda = LAMBDA_BASE + LAMBDA_PER_ITEM_COUNT * diagonal;
  return Number(Math.min(MAX_LAMBDA, lambda).toPrecision(2));
}
