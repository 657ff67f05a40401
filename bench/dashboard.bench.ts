/**
 * The dashboard's weight and first load (issue 13): the size of each built asset (raw, and the gzip -9 and brotli -11
 * copies the build writes and the server sends to browsers that accept them), and the time from navigation to the
 * first chart drawn, in headless chromium against a server holding ml-100k, each load in a fresh browser context
 * (nothing cached); then the in-app move to a user's page until their recommendations and interests are shown.
 *
 * `npm run bench -- dashboard.bench` (KINDRED_DATA_DIR locates ml-100k; KINDRED_CHROMIUM the browser).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build } from 'vite';
import { datasetPath } from '../src/testkit/datasets.js';
import { chromiumPath, launchChromium } from '../test/dashboard/browser.js';
import { startDashboardServer } from '../test/dashboard/dashboard-server.js';
import { percentile, timeIt, type BenchResult } from './harness.js';

const LOADS = 7;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

async function bundleSizes(outDir: string): Promise<BenchResult[]> {
  const built = await timeIt(() => build({ configFile: resolve('web/vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } }));
  const results: BenchResult[] = [];
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  const kib = (n: number) => Math.round((n / 1024) * 10) / 10;
  // The originals; the build's .br and .gz copies (what the server sends to browsers accepting them) are measured with each.
  for (const path of files(outDir).filter((f) => !/\.(br|gz)$/.test(f)).sort()) {
    const bytes = readFileSync(path).length;
    const gz = existsSync(`${path}.gz`) ? statSync(`${path}.gz`).size : bytes;
    const br = existsSync(`${path}.br`) ? statSync(`${path}.br`).size : bytes;
    raw += bytes;
    gzip += gz;
    brotli += br;
    // Hashed names change with every edit: the result names the asset by its kind.
    const name = relative(outDir, path).replace(/-[A-Za-z0-9_-]{8}\./, '.');
    results.push({ name: `dashboard.bundle.${name}`, dataset: '-', metric: 'raw', value: bytes / 1024, unit: 'KiB', extra: { gzipKiB: kib(gz), brotliKiB: kib(br) } });
  }
  results.push({ name: 'dashboard.bundle.total', dataset: '-', metric: 'raw', value: raw / 1024, unit: 'KiB', extra: { gzipKiB: kib(gzip), brotliKiB: kib(brotli), buildSeconds: Math.round(built.seconds * 10) / 10 } });
  return results;
}

async function firstLoads(dashboardDir: string, movieLens: string): Promise<BenchResult[]> {
  const d = await startDashboardServer({ movieLens, dashboardDir });
  const browser = await launchChromium(chromiumPath());
  try {
    const chart: number[] = [];
    const users: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${d.server.url}/#/overview`);
      await page.waitForSelector('.chart [data-drawn="true"]');
      chart.push(performance.now() - t0);
      // A user's page: profile, recommendations with care moves, trace and history, all asked for at once.
      const t1 = performance.now();
      await page.goto(`${d.server.url}/#/users/1`);
      await page.locator('ol.item-list > li').first().waitFor();
      await page.locator('table.interests').waitFor();
      users.push(performance.now() - t1);
      await context.close();
    }
    // The first load also warms the server (its first /v1/stats/events reads the store cold): reported apart.
    const warm = chart.slice(1).sort((a, b) => a - b);
    const warmUsers = users.slice(1).sort((a, b) => a - b);
    return [
      { name: 'dashboard.first-load.overview-chart', dataset: 'ml-100k', metric: 'p50', value: percentile(warm, 50), unit: 'ms', extra: { max: Math.round(warm[warm.length - 1]), coldServerMs: Math.round(chart[0]), loads: warm.length } },
      { name: 'dashboard.navigate.user-page', dataset: 'ml-100k', metric: 'p50', value: percentile(warmUsers, 50), unit: 'ms', extra: { max: Math.round(warmUsers[warmUsers.length - 1]), coldServerMs: Math.round(users[0]), loads: warmUsers.length } },
    ];
  } finally {
    await browser.close();
    await d.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'kindred-web-bench-'));
  const sizes = await bundleSizes(outDir);
  const movieLens = datasetPath('ml-100k');
  if (!movieLens) {
    console.warn('ml-100k not found (KINDRED_DATA_DIR): first-load time skipped');
    return sizes;
  }
  return [...sizes, ...(await firstLoads(outDir, movieLens))];
}
