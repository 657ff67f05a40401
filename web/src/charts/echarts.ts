/**
 * ECharts, piece by piece: only the charts, components and renderer the dashboard draws with, so the bundle carries
 * a fraction of the library (docs/benchmarks.md records the sizes). SVG rendering keeps charts crisp and lets the
 * browser tests count the drawn paths.
 */
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<LineSeriesOption | BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export function createChart(el: HTMLElement): ECharts {
  return init(el, null, { renderer: 'svg' });
}

export type { ECharts };
