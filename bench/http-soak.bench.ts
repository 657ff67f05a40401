/**
 * Soak (issue 11): the 70/30 read/write mix of http-load against one `kindred serve` process for
 * KINDRED_SOAK_MINUTES (default 10), sampling the server's resident set size every 10 s. Writes the samples to
 * bench/results/soak-rss.json and plots them in docs/soak-rss.svg.
 *
 * Runs only when named (`npm run bench -- http-soak`) or when KINDRED_SOAK_MINUTES is set, so `npm run bench -- http`
 * does not start a ten-minute run by surprise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeXml, PALETTE } from '../src/eval/report/svg.js';
import { datasetPath } from '../src/testkit/datasets.js';
import type { BenchResult } from './harness.js';
import { describe, load, mixedRequests, ml100kIds, recommendRequests, type LoadSummary } from './http-load-requests.js';
import { buildDist, prepareStore, startServerProcess } from './http-server-process.js';

const DATASET = 'ml-100k';
const SAMPLE_SECONDS = 10;
const here = dirname(fileURLToPath(import.meta.url));

interface RssSample {
  seconds: number;
  rssMb: number;
}

/** A round upper bound for an axis (1, 2, 2.5 or 5 times a power of ten). */
function niceMax(x: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(x, 1e-9)));
  return ([1, 2, 2.5, 5, 10].find((m) => m * p >= x) ?? 10) * p;
}

/**
 * The RSS curve as a standalone SVG, both axes from 0 (growth must be judged against the whole, not a zoomed band);
 * the eval report's palette and text style.
 */
export function rssSvg(samples: RssSample[], title: string): string {
  const [w, h, m] = [640, 320, { left: 56, right: 16, top: 28, bottom: 48 }];
  const xMax = Math.max(...samples.map((s) => s.seconds / 60), 1 / 60);
  const yMax = niceMax(Math.max(...samples.map((s) => s.rssMb)));
  const px = (minutes: number) => (m.left + (minutes / xMax) * (w - m.left - m.right)).toFixed(1);
  const py = (mb: number) => (h - m.bottom - (mb / yMax) * (h - m.top - m.bottom)).toFixed(1);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const yTicks = ticks.map((f) => `<line x1="${m.left}" x2="${w - m.right}" y1="${py(f * yMax)}" y2="${py(f * yMax)}" class="grid"/><text x="${m.left - 6}" y="${Number(py(f * yMax)) + 4}" text-anchor="end">${f * yMax}</text>`);
  const xTicks = ticks.map((f) => `<text x="${px(f * xMax)}" y="${h - m.bottom + 16}" text-anchor="middle">${(f * xMax).toFixed(1)}</text>`);
  const points = samples.map((s) => `${px(s.seconds / 60)},${py(s.rssMb)}`).join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeXml(title)}">` +
    '<style>text{font:11px system-ui,sans-serif}.title{font-size:13px;font-weight:600}.grid{stroke:#eee}</style><rect width="100%" height="100%" fill="#fff"/>' +
    `<title>${escapeXml(title)}</title><text x="${w / 2}" y="16" text-anchor="middle" class="title">${escapeXml(title)}</text>` +
    yTicks.join('') + xTicks.join('') +
    `<text x="${(m.left + w - m.right) / 2}" y="${h - 14}" text-anchor="middle">minutes under load (RSS sampled every ${SAMPLE_SECONDS} s)</text>` +
    `<text transform="translate(14 ${(h - m.bottom + m.top) / 2}) rotate(-90)" text-anchor="middle">server RSS (MiB)</text>` +
    `<polyline points="${points}" fill="none" stroke="${PALETTE[0]}" stroke-width="2"/></svg>\n`;
}

export async function run(): Promise<BenchResult[]> {
  const named = process.argv.slice(2).some((a) => a.includes('soak'));
  if (!named && process.env.KINDRED_SOAK_MINUTES === undefined) {
    console.warn('skipping http-soak bench: run it by name (npm run bench -- http-soak) or set KINDRED_SOAK_MINUTES');
    return [];
  }
  const dir = datasetPath(DATASET);
  if (!dir) {
    console.warn(`skipping http-soak bench: ${DATASET} not found`);
    return [];
  }
  const minutes = Number(process.env.KINDRED_SOAK_MINUTES ?? 10) || 10;
  await buildDist();
  const store = await prepareStore(dir);
  const server = await startServerProcess(store.url);
  const ids = ml100kIds(dir);
  const samples: RssSample[] = [];
  let soak: LoadSummary;
  try {
    await load(server.url, recommendRequests(ids), { connections: 8, amount: ids.users.length }); // warm the list cache
    const t0 = Date.now();
    samples.push({ seconds: 0, rssMb: server.rssMb() });
    const sampler = setInterval(() => samples.push({ seconds: Math.round((Date.now() - t0) / 1000), rssMb: server.rssMb() }), SAMPLE_SECONDS * 1000);
    try {
      soak = await load(server.url, mixedRequests(ids, 0.7), { connections: 8, seconds: minutes * 60 });
    } finally {
      clearInterval(sampler);
    }
    samples.push({ seconds: Math.round((Date.now() - t0) / 1000), rssMb: server.rssMb() });
  } finally {
    await server.stop();
    store.remove();
  }
  console.log(describe('soak mixed-70-30', soak));
  const first = samples[0].rssMb;
  const last = samples[samples.length - 1].rssMb;
  const peak = Math.max(...samples.map((s) => s.rssMb));
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'soak-rss.json'), JSON.stringify({ date: new Date().toISOString(), minutes, serveArgs: server.serveArgs, load: soak, samples }, null, 2));
  const title = `Server RSS under a 70/30 read/write mix, 8 connections, ${minutes} min (ml-100k, SQLite)`;
  writeFileSync(join(here, '..', 'docs', 'soak-rss.svg'), rssSvg(samples, title));
  console.log(`RSS ${first.toFixed(0)} MiB at start, ${last.toFixed(0)} MiB at end, peak ${peak.toFixed(0)} MiB; wrote docs/soak-rss.svg`);
  return [{
    name: 'http-soak.mixed-70-30', dataset: DATASET, metric: 'rss_growth_mb', value: last - first, unit: 'MiB',
    extra: { minutes, rss_start_mb: first, rss_end_mb: last, rss_peak_mb: peak, req_per_s: soak.reqPerSec, p99_ms: soak.p99Ms, errors: soak.errors, non2xx: soak.non2xx, timeouts: soak.timeouts },
  }];
}
