/**
 * Splits [0, costs.length) into `parts` contiguous ranges of about equal total cost, each inner boundary a multiple
 * of `align`. Returns parts + 1 boundaries from 0 to costs.length; ranges may be empty when units are few.
 *
 * @example balancedRanges(Float64Array.of(1, 1, 1, 1), 2) // [0, 2, 4]
 */
export function balancedRanges(costs: ArrayLike<number>, parts: number, align = 1): number[] {
  const n = costs.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + costs[i];
  const total = prefix[n];
  const bounds = [0];
  let i = 0;
  for (let p = 1; p < parts; p++) {
    const target = (total * p) / parts;
    while (i < n && prefix[i + 1] <= target) i++;
    // prefix[i] <= target < prefix[i + 1]: take whichever boundary is closer, then align
    const nearest = i < n && target - prefix[i] > prefix[i + 1] - target ? i + 1 : i;
    const aligned = Math.min(n, Math.round(nearest / align) * align);
    bounds.push(Math.max(aligned, bounds[bounds.length - 1]));
  }
  bounds.push(n);
  return bounds;
}
