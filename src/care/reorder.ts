import type { Candidate } from '../pipeline/candidates.js';

/**
 * The candidates with the picked positions first, in pick order, then every other one in its input order.
 *
 * @example reorder(['a', 'b', 'c'].map(...), [2]) // c, a, b
 */
export function reorder(candidates: readonly Candidate[], picked: readonly number[]): Candidate[] {
  const seen = new Set(picked);
  return [...picked.map((p) => candidates[p]), ...candidates.filter((_, p) => !seen.has(p))];
}
