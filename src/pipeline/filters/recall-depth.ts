/** A filter usually removes more than availability does: the first filtered recall reaches this many times deeper. */
const FIRST_FILTERED_FACTOR = 2;
/** Each further pass reaches this many times deeper than the one before, up to the whole catalogue. */
const GROWTH = 4;

/**
 * How deep to recall, pass by pass, so that a filtered list still fills up: without a filter one pass at `depth`;
 * with one, twice as deep, then four times deeper per pass while the filtered list is still short and recall had
 * more to give, the last pass covering the whole catalogue. Each pass is one store read of its candidates, so the
 * reads of all passes together stay within about 4/3 of the last pass's.
 *
 * @example recallDepths(40, true, 10_000) // [80, 320, 1280, 5120, 10000]
 */
export function recallDepths(depth: number, filtered: boolean, catalogueSize: number): number[] {
  if (!filtered) return [depth];
  const depths: number[] = [];
  for (let k = depth * FIRST_FILTERED_FACTOR; k < catalogueSize; k *= GROWTH) depths.push(k);
  depths.push(Math.max(catalogueSize, 1));
  return depths;
}
