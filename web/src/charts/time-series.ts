import type { ChartOption } from './echarts';

export interface Series {
  name: string;
  values: number[];
}

/**
 * A stacked bar chart over time buckets (x = bucket starts, one series per event type or measure), the shape of
 * every time chart on the dashboard.
 *
 * @example timeSeriesOption(['1997-09-22'], [{ name: 'rating', values: [412] }])
 */
export function timeSeriesOption(starts: string[], series: Series[]): ChartOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { show: series.length > 1, top: 0 },
    grid: { left: 56, right: 16, top: series.length > 1 ? 32 : 12, bottom: 32 },
    xAxis: { type: 'category', data: starts.map((s) => s.slice(0, 10)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => ({ type: 'bar', name: s.name, stack: 'total', data: s.values, barMaxWidth: 24 })),
  };
}

/** The event types present in any bucket, most frequent first. */
export function typesOf(buckets: { byType: Record<string, number> }[]): string[] {
  const totals = new Map<string, number>();
  for (const b of buckets) for (const [t, n] of Object.entries(b.byType)) totals.set(t, (totals.get(t) ?? 0) + n);
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t);
}
