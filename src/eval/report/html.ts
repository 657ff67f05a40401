import type { EvalResult, ModelResult } from '../result.js';
import { barChart, escapeXml, lineChart, scatterChart } from './svg.js';
import { careCurvesSection } from './care-curves.js';
import { formatMetric } from './table.js';

const ACCURACY = ['precision', 'recall', 'ndcg', 'map', 'mrr', 'hit'];
const EXPOSURE = ['coverage', 'gini', 'ild', 'ild_embedding'];
const SCALAR_CHARTS: Array<[string, string]> = [
  ['novelty', 'Novelty (mean −log2 popularity share)'],
  ['arp', 'Average recommendation popularity (training users per item)'],
  ['calibration', 'Miscalibration (KL of genre mix, lower is better)'],
  ['longtail', 'Long-tail share (items outside those holding 80 % of interactions)'],
];

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f5f5f5}.note{color:#555}.warn{color:#a40}
.charts{display:flex;flex-wrap:wrap;gap:1rem}svg{background:#fff;border:1px solid #eee;font-size:11px}
svg .title{font-size:13px;font-weight:600}svg .grid{stroke:#eee}svg .diag{stroke:#999;stroke-dasharray:4 4}
dl{display:grid;grid-template-columns:max-content auto;gap:.15rem 1rem}dt{font-weight:600}
`;

function metricTable(results: ModelResult[], ks: number[], pick: (r: ModelResult) => Record<string, number> | undefined): string {
  const keys = new Set<string>();
  for (const r of results) for (const key of Object.keys(pick(r) ?? {})) keys.add(key);
  const families = [...new Set([...keys].map((k) => k.split('@')[0]))];
  const columns = families.flatMap((f) => ks.map((k) => `${f}@${k}`)).filter((c) => keys.has(c));
  const head = `<tr><th>model</th>${columns.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr>`;
  const body = results.map((r) => `<tr><td>${escapeXml(r.model)}</td>${columns.map((c) => `<td>${formatMetric(pick(r)?.[c])}</td>`).join('')}</tr>`).join('');
  return `<table>${head}${body}</table>`;
}

function splitSection(res: EvalResult): string {
  const s = res.split;
  const rows: Array<[string, string]> = [
    ['dataset', res.dataset],
    ['protocol', res.protocol],
    ['split', `${s.method}${s.ratios ? ` ${s.ratios.join(' / ')}` : ''}${s.testFrom !== undefined ? `, test from ${new Date(s.testFrom * 1000).toISOString()}` : ''}, seed ${s.seed}`],
    ['filters', `dedup ${s.filters.dedup ? 'on' : 'off'}, positives ${s.filters.minRating === null ? 'all ratings' : `rating ≥ ${s.filters.minRating}`}, ${s.filters.kcore ? `iterative ${s.filters.kcore.user}/${s.filters.kcore.item}-core (${s.filters.kcoreRounds} passes)` : 'no k-core'}`],
    ['rows', `${s.rowsIn} read, ${s.rows} kept: train ${s.train}, valid ${s.valid}, test ${s.test}`],
    ['catalogue', `${s.users} users × ${s.items} items; ${s.testUsers} test users${s.coldTestUsers ? `, ${s.coldTestUsers} cold (reported apart)` : ''}`],
    ['ranking', res.ranking.mode === 'full' ? 'full ranking over all items; train + valid masked for test' : `SAMPLED: each positive against ${res.ranking.negatives} random negatives (not comparable with full ranking)`],
    ['test model', s.refit ? 'REFIT: chosen params fitted again on train + valid (not RecBole protocol)' : s.testHistory === 'train+valid'
      ? 'fitted on train; test users\' valid items folded into their histories without retraining (SASRec leave-one-out)'
      : 'fitted on train (RecBole protocol)'],
  ];
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${escapeXml(v)}</dd>`).join('')}</dl>`;
}

function searchSection(results: ModelResult[]): string {
  const searched = results.filter((r) => r.search);
  if (searched.length === 0) return '';
  const parts = searched.map((r) => {
    const s = r.search;
    if (!s) return '';
    const rows = s.trials
      .map((t, i) => `<tr${i === s.best ? ' style="font-weight:600"' : ''}><td>${i + 1}</td><td style="text-align:left">${escapeXml(JSON.stringify(t.params))}</td><td>${formatMetric(t.value)}</td><td>${t.fitSeconds.toFixed(1)}</td></tr>`)
      .join('');
    return `<h3>${escapeXml(r.model)} — ${escapeXml(s.method)} search, ${s.trials.length} trials, picked by validation ${escapeXml(s.metric)}</h3><table><tr><th>#</th><th>params</th><th>valid ${escapeXml(s.metric)}</th><th>fit s</th></tr>${rows}</table>`;
  });
  return `<h2>Hyper-parameter search</h2>${parts.join('')}`;
}

/** The pipeline rows' recall per channel: the share of test items each channel brought to fusion. */
function channelRecallSection(results: ModelResult[]): string {
  const rows = results.filter((r) => r.channelRecall);
  if (rows.length === 0) return '';
  const channels = [...new Set(rows.flatMap((r) => Object.keys(r.channelRecall ?? {})))];
  const head = `<tr><th>result</th>${channels.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr><td>${escapeXml(r.model)}</td>${channels.map((c) => `<td>${(r.channelRecall?.[c] ?? 0).toFixed(4)}</td>`).join('')}</tr>`).join('');
  return `<h2>Pipeline: recall per channel</h2><p class="note">Share of the test items each recall channel brought to fusion (any = the union); the list shown is cut from these.</p><table>${head}${body}</table>`;
}

function charts(res: EvalResult): string {
  const k = res.mainK;
  const rs = res.results;
  const has = (m: string): boolean => rs.some((r) => `${m}@${k}` in r.metrics);
  const series = (metrics: string[]) => rs.map((r) => ({ name: r.model, values: metrics.map((m) => r.metrics[`${m}@${k}`] ?? NaN) }));
  const out: string[] = [];
  out.push(barChart(`Accuracy @${k} (test)`, ACCURACY, series(ACCURACY)));
  const exposure = EXPOSURE.filter(has);
  out.push(barChart(`Exposure and diversity @${k}`, exposure, series(exposure)));
  for (const [m, title] of SCALAR_CHARTS) if (has(m)) out.push(barChart(`${title} @${k}`, [m], series([m])));
  const scatter = (x: string): string => scatterChart(`NDCG@${k} vs ${x}@${k}`, `${x}@${k}`, `ndcg@${k}`, rs.map((r) => ({ label: r.model, x: r.metrics[`${x}@${k}`], y: r.metrics[`ndcg@${k}`] })));
  out.push(scatter('coverage'));
  for (const x of ['ild', 'ild_embedding', 'novelty']) if (has(x)) out.push(scatter(x));
  const tail = [...rs.map((r) => ({ name: r.model, values: r.longTail })), { name: 'training data', values: res.longTail.train, reference: true }];
  out.push(lineChart(`Long tail: cumulative share of top-${k} picks by item popularity`, 'items, most popular first (share of catalogue)', 'cumulative share', tail));
  return `<div class="charts">${out.join('')}</div>`;
}

/**
 * A self-contained HTML report (inline CSS and SVG, no scripts, no network): setup, test/valid tables, charts,
 * search trials.
 *
 * @example writeFileSync('report.html', renderHtmlReport(result))
 */
export function renderHtmlReport(res: EvalResult): string {
  const sampledWarn = res.ranking.mode === 'sampled' ? `<p class="warn">Sampled metrics (${res.ranking.negatives} negatives per positive): inflated, not comparable with full-ranking numbers.</p>` : '';
  const cold = res.results.some((r) => r.coldMetrics)
    ? `<h2>Cold users (no training history)</h2>${metricTable(res.results, res.ks, (r) => r.coldMetrics)}`
    : '';
  const timing = `<table><tr><th>model</th><th>params</th><th>fit s</th><th>score s</th></tr>${res.results
    .map((r) => `<tr><td>${escapeXml(r.model)}</td><td style="text-align:left">${escapeXml(JSON.stringify(r.params))}</td><td>${r.fitSeconds.toFixed(2)}</td><td>${r.scoreSeconds.toFixed(2)}</td></tr>`)
    .join('')}</table>`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeXml(`Kindred evaluation: ${res.dataset} (${res.protocol})`)}</title><style>${STYLE}</style></head>`,
    '<body>',
    `<h1>Kindred evaluation — ${escapeXml(res.dataset)}, ${escapeXml(res.protocol)} protocol</h1>`,
    splitSection(res),
    sampledWarn,
    `<h2>Test metrics</h2>${metricTable(res.results, res.ks, (r) => r.metrics)}`,
    `<h2>Charts</h2>${charts(res)}`,
    careCurvesSection(res),
    `<h2>Validation metrics</h2><p class="note">Only train items are masked on validation, so these run lower than test: compare test with test.</p>${metricTable(res.results, res.ks, (r) => r.validMetrics)}`,
    cold,
    channelRecallSection(res.results),
    `<h2>Models</h2>${timing}`,
    searchSection(res.results),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
