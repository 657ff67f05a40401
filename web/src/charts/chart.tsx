import { useEffect, useRef } from 'preact/hooks';
import { createChart, type ChartOption, type ECharts } from './echarts';

export interface ChartProps {
  /** What the chart shows, read by screen readers (the figure's caption says it for everyone). */
  caption: string;
  option: ChartOption;
  /** Data points drawn, exposed as data-points so tests and the first-load bench can tell a chart holds data. */
  points: number;
  height?: number;
}

/**
 * One ECharts chart (SVG) in a labelled figure; redrawn when `option` changes, resized with the window, disposed
 * on unmount. `data-drawn` turns true once ECharts has finished rendering.
 */
export function Chart({ caption, option, points, height = 260 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = createChart(el);
    chart.current = c;
    c.on('finished', () => el.setAttribute('data-drawn', 'true'));
    const onResize = () => c.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={caption} data-points={points} style={{ height: `${height}px` }} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
