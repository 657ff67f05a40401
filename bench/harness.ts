/** Shared shape of benchmark results; each bench/*.bench.ts exports `run()` returning these. */
export interface BenchResult {
  /** e.g. "import.ml-latest-small" */
  name: string;
  dataset: string;
  metric: string;
  value: number;
  unit: string;
  extra?: Record<string, number | string | boolean>;
}

export interface BenchModule {
  run(): Promise<BenchResult[]>;
}

/** Wall time of an async function in seconds. */
export async function timeIt<T>(fn: () => Promise<T> | T): Promise<{ seconds: number; result: T }> {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, result };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i];
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
