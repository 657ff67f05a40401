/**
 * The q-quantile (0..1) of `values` by the nearest-rank method, rounded to 0.1 ms; values need not be sorted.
 *
 * @example percentile([5, 1, 3, 2, 4], 0.5) // 3
 */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return Math.round(sorted[rank - 1] * 10) / 10;
}
