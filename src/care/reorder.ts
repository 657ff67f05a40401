import type { Candidate } from '../pipeline/candidates.js';

/**
 * The candidates with the picked positions first, in pick order, then every other one in its input order.
 *
 * @example reorder(candidates, [2]) // the third candidate, then the first and second
 */
export function reorder(candidates: readonly Candidate[], picked: readonly number[]): Candidate[] {
  const seen = new Set(picked);
  return [...picked.map((p) => candidates[p]), ...candidates.filter((_, p) => !seen.has(p))];
}
