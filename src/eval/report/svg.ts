/**
 * Tiny self-contained SVG charts for the HTML report (no library, no network). Each function returns one <svg>
 * element as a string; every piece of text is escaped.
 */

/** Colours for series, in order (Okabe-Ito, readable by colour-blind readers). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442', '#000000'];

/** Escapes text for HTML/SVG content and attribute values. @example escapeXml('a<b') // 'a&lt;b' */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export interface Series {
  name: string;
  values: number[];
  /** Palette slot, so a model keeps its colour across charts (default: the series' position). */
  color?: number;
  /** Drawn grey and dashed, e.g. the training data's own curve. */
  reference?: boolean;
}

const REFERENCE_COLOUR = '#888888';

function colour(slot: number): string {
  return PALETTE[slot % PALETTE.length];
}

const W = 640;
const H = 320;
const M = { left: 56, right: 16, top: 28, bottom: 84 };

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3);
}

function niceMax(x: number): number {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

function frame(title: string, body: string, yMax: number, yLabel: string, xAxis: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = M.top + (1 - f) * (H - M.top - M.bottom);
    return `<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" class="grid"/><text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${fmt(f * yMax)}</text>`;
  });
  return (
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(title)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<text x="${W / 2}" y="16" text-anchor="middle" class="title">${escapeXml(title)}</text>` +
    ticks.join('') +
    `<text transform="translate(14 ${(H - M.bottom + M.top) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>` +
    xAxis +
    body +
    `</svg>`
  );
}

function legend(entries: Array<{ name: string; fill: string }>): string {
  return entries
    .map((e, i) => {
      const x = M.left + (i % 4) * 145;
      const y = H - 30 + Math.floor(i / 4) * 14;
      return `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${e.fill}"/><text x="${x + 14}" y="${y}">${escapeXml(e.name)}</text>`;
    })
    .join('');
}

function seriesLegend(series: Series[]): string {
  return legend(series.map((s, i) => ({ name: s.name, fill: s.reference ? REFERENCE_COLOUR : colour(s.color ?? i) })));
}

/**
 * Grouped bars: one group per category, one bar per series.
 *
 * @example barChart('Accuracy @10', ['ndcg', 'recall'], [{ name: 'ease', values: [0.3, 0.2] }])
 */
export function barChart(title: string, categories: string[], series: Series[]): string {
  const yMax = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter(Number.isFinite))));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = (groupW * 0.8) / Math.max(1, series.length);
  const bars: string[] = [];
  series.forEach((s, si) => {
    s.values.forEach((v, ci) => {
      const h = Number.isFinite(v) ? (Math.max(0, v) / yMax) * plotH : 0;
      const x = M.left + ci * groupW + groupW * 0.1 + si * barW;
      bars.push(`<rect x="${x.toFixed(1)}" y="${(M.top + plotH - h).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${colour(s.color ?? si)}"><title>${escapeXml(`${s.name} ${categories[ci]}: ${fmt(v)}`)}</title></rect>`);
    });
  });
  const labels = categories.map((c, ci) => `<text x="${(M.left + (ci + 0.5) * groupW).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeXml(c)}</text>`).join('');
  return frame(title, bars.join('') + seriesLegend(series), yMax, '', labels);
}

export interface Point {
  label: string;
  x: number;
  y: number;
  /** Palette slot (default: the point's position). */
  color?: number;
}

/** Rough label width in px at the chart's 11px font. */
function labelWidth(text: string): number {
  return 6.2 * text.length;
}

/**
 * Labelled points, axes from 0 to a rounded maximum with a little headroom. Labels that would collide with an earlier
 * one move down a line; labels near the right edge go to the left of their point.
 *
 * @example scatterChart('NDCG vs coverage', 'coverage@10', 'ndcg@10', [{ label: 'ease', x: 0.3, y: 0.31 }])
 */
export function scatterChart(title: string, xLabel: string, yLabel: string, points: Point[]): string {
  const shown = points.map((p, i) => ({ ...p, color: p.color ?? i })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xMax = niceMax(1.08 * Math.max(0, ...shown.map((p) => p.x)));
  const yMax = niceMax(1.08 * Math.max(0, ...shown.map((p) => p.y)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const px = (x: number): number => M.left + (x / xMax) * plotW;
  const py = (y: number): number => M.top + plotH - (y / yMax) * plotH;
  const placed: Array<{ x0: number; x1: number; y: number }> = [];
  const dots = shown
    .map((p) => {
      const cx = px(p.x);
      const cy = py(p.y);
      const w = labelWidth(p.label);
      const left = cx + 7 + w > W - M.right;
      const x0 = left ? cx - 7 - w : cx + 7;
      let ly = cy - 6;
      while (placed.some((o) => x0 < o.x1 && x0 + w > o.x0 && Math.abs(o.y - ly) < 11)) ly += 12;
      placed.push({ x0, x1: x0 + w, y: ly });
      return `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="5" fill="${colour(p.color)}"><title>${escapeXml(`${p.label}: ${fmt(p.x)}, ${fmt(p.y)}`)}</title></circle><text x="${x0.toFixed(1)}" y="${ly.toFixed(1)}">${escapeXml(p.label)}</text>`;
    })
    .join('');
  const xTicks = [0, 0.5, 1].map((f) => `<text x="${px(f * xMax).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${fmt(f * xMax)}</text>`).join('');
  const xAxis = xTicks + `<text x="${M.left + plotW / 2}" y="${H - M.bottom + 34}" text-anchor="middle">${escapeXml(xLabel)}</text>`;
  return frame(title, dots, yMax, yLabel, xAxis);
}

/**
 * Lines over x = 0..1 (each series' values evenly spaced), y from 0 to 1; a dashed diagonal marks equal exposure.
 *
 * @example lineChart('Long tail', 'share of items', 'share of picks', [{ name: 'pop', values: [0.9, 1] }])
 */
export function lineChart(title: string, xLabel: string, yLabel: string, series: Series[]): string {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const px = (f: number): number => M.left + f * plotW;
  const py = (y: number): number => M.top + plotH - y * plotH;
  const diagonal = `<line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" class="diag"/>`;
  const lines = series
    .map((s, i) => {
      const pts = [`${px(0)},${py(0)}`, ...s.values.map((v, j) => `${px((j + 1) / s.values.length).toFixed(1)},${py(Math.min(1, Math.max(0, v))).toFixed(1)}`)];
      const stroke = s.reference ? `stroke="${REFERENCE_COLOUR}" stroke-dasharray="6 3"` : `stroke="${colour(s.color ?? i)}"`;
      return `<polyline points="${pts.join(' ')}" fill="none" ${stroke} stroke-width="2"><title>${escapeXml(s.name)}</title></polyline>`;
    })
    .join('');
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${px(f).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${f}</text>`).join('');
  const xAxis = xTicks + `<text x="${M.left + plotW / 2}" y="${H - M.bottom + 32}" text-anchor="middle">${escapeXml(xLabel)}</text>`;
  return frame(title, diagonal + lines + seriesLegend(series), 1, yLabel, xAxis);
}

export interface CurvePoint {
  x: number;
  y: number;
  /** Shown on hover and beside the point (e.g. the strength). */
  label: string;
}

export interface Curve {
  name: string;
  points: CurvePoint[];
  /** Palette slot (default: the curve's position). */
  color?: number;
}

/** An axis range around the data with 8 % headroom each side (a trade-off moves a few per cent, so 0 is not kept). */
function spanOf(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi > lo ? (hi - lo) * 0.08 : Math.max(Math.abs(hi) * 0.05, 0.001);
  return [lo - pad, hi + pad];
}

/**
 * Connected points per curve (e.g. NDCG against coverage as one stage's strength grows), both axes fitted to the data;
 * each point is a circle titled `<curve> <label>: x, y` with its label beside it.
 *
 * @example curveChart('NDCG@10 vs coverage@10', 'coverage@10', 'ndcg@10', [{ name: 'long-tail', points: [{ x: 0.36, y: 0.293, label: '0' }] }])
 */
export function curveChart(title: string, xLabel: string, yLabel: string, curves: Curve[]): string {
  const shown = curves.map((c, i) => ({ ...c, color: c.color ?? i, points: c.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)) }));
  const all = shown.flatMap((c) => c.points);
  const [x0, x1] = spanOf(all.length > 0 ? all.map((p) => p.x) : [0, 1]);
  const [y0, y1] = spanOf(all.length > 0 ? all.map((p) => p.y) : [0, 1]);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const px = (x: number): number => M.left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number): number => M.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const body = shown
    .map((c) => {
      const stroke = colour(c.color);
      const line = `<polyline points="${c.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}" fill="none" stroke="${stroke}" stroke-width="2"/>`;
      const dots = c.points
        .map((p) => `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="4" fill="${stroke}"><title>${escapeXml(`${c.name} ${p.label}: ${fmt(p.x)}, ${fmt(p.y)}`)}</title></circle><text x="${(px(p.x) + 5).toFixed(1)}" y="${(py(p.y) - 5).toFixed(1)}">${escapeXml(p.label)}</text>`)
        .join('');
      return line + dots;
    })
    .join('');
  // y ticks over the data range (frame draws 0..yMax ticks, so this chart draws its own)
  const yTicks = [0, 0.5, 1].map((f) => `<text x="${M.left - 6}" y="${(py(y0 + f * (y1 - y0)) + 4).toFixed(1)}" text-anchor="end">${fmt(y0 + f * (y1 - y0))}</text>`).join('');
  const xTicks = [0, 0.5, 1].map((f) => `<text x="${px(x0 + f * (x1 - x0)).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${fmt(x0 + f * (x1 - x0))}</text>`).join('');
  const xAxis = xTicks + `<text x="${M.left + plotW / 2}" y="${H - M.bottom + 34}" text-anchor="middle">${escapeXml(xLabel)}</text>`;
  return (
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(title)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<text x="${W / 2}" y="16" text-anchor="middle" class="title">${escapeXml(title)}</text>` +
    `<line x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}" class="grid"/>` +
    yTicks +
    `<text transform="translate(14 ${(H - M.bottom + M.top) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>` +
    xAxis +
    body +
    legend(shown.map((c) => ({ name: c.name, fill: colour(c.color) }))) +
    `</svg>`
  );
}
