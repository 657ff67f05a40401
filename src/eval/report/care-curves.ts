import type { EvalResult } from '../result.js';
import { curveChart, escapeXml } from './svg.js';
import { formatMetric } from './table.js';

/** The care trade-off axes: each curve chart puts NDCG@K against one of these. */
const CARE_AXES: Array<[string, string]> = [
  ['ild', 'intra-list diversity'],
  ['coverage', 'catalogue coverage'],
  ['novelty', 'novelty'],
  ['calibration', 'miscalibration (KL, lower is closer)'],
  ['longtail', 'long-tail share'],
];

/** One chart per care axis the curves have: NDCG@K against it, one line per care stage. */
function careCurveCharts(res: EvalResult): string[] {
  const curves = res.careCurves ?? [];
  const k = res.mainK;
  return CARE_AXES.filter(([m]) => curves.some((c) => c.points.some((p) => `${m}@${k}` in p.metrics))).map(([m, label]) =>
    curveChart(`Care trade-off: NDCG@${k} vs ${label} @${k}`, `${m}@${k}`, `ndcg@${k}`, curves.map((c) => ({
      name: c.stage, points: c.points.map((p) => ({ x: p.metrics[`${m}@${k}`], y: p.metrics[`ndcg@${k}`], label: String(p.strength) })),
    }))));
}

/**
 * The care trade-off charts as one standalone SVG file (the charts stacked), for docs; undefined without curves.
 *
 * @example writeFileSync('docs/care-curves.svg', careCurvesSvg(result) ?? '')
 */
export function careCurvesSvg(res: EvalResult): string | undefined {
  const charts = careCurveCharts(res);
  if (charts.length === 0) return undefined;
  const [w, h] = [640, 320];
  const placed = charts.map((svg, i) => svg.replace('<svg ', `<svg x="0" y="${i * h}" `));
  const style = '<style>text{font:11px system-ui,sans-serif}.title{font-size:13px;font-weight:600}.grid{stroke:#eee}</style>';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h * charts.length}" width="${w}" height="${h * charts.length}">${style}<rect width="100%" height="100%" fill="#fff"/>${placed.join('')}</svg>\n`;
}

/**
 * The care trade-off curves (EvalResult.careCurves): NDCG@K against each care axis, one line per care stage as its
 * strength grows (each alone; strength 0 is care off), and the points as a table.
 *
 * @example careCurvesSection(result) // '<h2>Care trade-off curves</h2>...'
 */
export function careCurvesSection(res: EvalResult): string {
  const curves = res.careCurves;
  if (!curves || curves.length === 0) return '';
  const k = res.mainK;
  const charts = careCurveCharts(res);
  const columns = ['ndcg', ...CARE_AXES.map(([m]) => m)].map((m) => `${m}@${k}`);
  const rows = curves.flatMap((c) => c.points.map((p) => `<tr><td>${escapeXml(`${c.stage} (${c.key}) ${p.strength}`)}</td>${columns.map((col) => `<td>${formatMetric(p.metrics[col])}</td>`).join('')}</tr>`));
  return `<h2>Care trade-off curves</h2><p class="note">The pipeline with one care stage at a time, its strength growing from 0 (care off); the other care stages off.</p>` +
    `<div class="charts">${charts.join('')}</div><table><tr><th>stage and strength</th>${columns.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

