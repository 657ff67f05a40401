/** A filter usually removes more than availability does: the first recall reaches this many times further. */
const FILTERED_DEPTH_FACTOR = 4;

/**
 * How deep to recall, pass by pass, so that a filtered list still fills up: without a filter one pass at `depth`;
 * with one, a deeper first pass and, when that leaves the list short while recall was not exhausted, a second pass
 * over the whole catalogue (a very selective filter pays one more store read; an ordinary one does not).
 *
 * @example recallDepths(40, true, 10_000) // [160, 10000]
 */
export function recallDepths(depth: number, filtered: boolean, catalogueSize: number): number[] {
  if (!filtered) return [depth];
  const first = Math.min(catalogueSize, depth * FILTERED_DEPTH_FACTOR);
  return first < catalogueSize ? [first, catalogueSize] : [Math.max(first, 1)];
}
