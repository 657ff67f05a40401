/**
 * The dashboard in a real browser (Debian's chromium through playwright-core) against a server holding ml-100k:
 * each page's content that matters, the live care controls, mute, the API-key prompt and keyboard access.
 * Screenshots go to test-artifacts/dashboard/.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { silentLogger } from '../../src/core/logger.js';
import { testDataset } from '../../src/testkit/datasets.js';
import { dashboardBuild, launchChromium, screenshot, testChromium } from './browser.js';
import { startDashboardServer, type DashboardServer } from './dashboard-server.js';

const ml = testDataset('ml-100k');
const executable = testChromium();
const KEY = 'dashboard-admin-key-31f';
// User 1 of ml-100k: a long history with several interests; muting the first one (Sci-Fi · Action · Thriller under
// the default model) takes science-fiction titles out of the list, which the mute test checks.
const USER = '1';
const ITEM = '423'; // E.T. the Extra-Terrestrial (1982)

/** The item ids of the recommendation list, in order. */
async function listedItems(page: Page): Promise<string[]> {
  return page.locator('ol.item-list > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-item-id') ?? ''));
}

/** Waits until the recommendation list differs from `before` (the request re-ran) and returns it. */
async function listChangedFrom(page: Page, before: string[]): Promise<string[]> {
  // Page scripts are strings: this project's TypeScript has Node's types, not the DOM's.
  const old = JSON.stringify(before.join(','));
  await page.waitForFunction(`(() => { const ids = [...document.querySelectorAll('ol.item-list > li')].map((li) => li.getAttribute('data-item-id')); return ids.length > 0 && ids.join(',') !== ${old}; })()`, undefined, { timeout: 20_000 });
  return listedItems(page);
}

describe.skipIf(!ml || !executable)('dashboard in a browser (ml-100k)', () => {
  let d: DashboardServer;
  let keyed: RunningServer;
  let browser: Browser;
  let page: Page;
  // Uncaught errors and console errors of the page: each test ends with none.
  const pageErrors: string[] = [];
  const reportsDir = mkdtempSync(join(tmpdir(), 'kindred-reports-'));

  beforeAll(async () => {
    const [dashboardDir] = await Promise.all([
      dashboardBuild(),
      // A saved evaluation report for the Evaluation page, written as `kindred eval --save` does.
      withEnv({ KINDRED_EVAL_REPORTS_DIR: reportsDir }, () => main(['eval', '--data', ml as string, '--models', 'popular', '--k', '10', '--save', 'ml100k-popular', '--no-progress', '--json', join(reportsDir, 'stdout.json')])),
    ]);
    d = await startDashboardServer({ movieLens: ml as string, dashboardDir, config: { eval: { reportsDir } } });
    await d.engine.putScenario({ name: 'comedies', filter: '"Comedy" in categories', description: 'Comedies only' });
    // The same engine behind a second server that asks for a key.
    keyed = await startServer(d.engine, { host: '127.0.0.1', port: 0, logger: silentLogger, apiKeys: [KEY], dashboardDir });
    browser = await launchChromium(executable as string);
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    // Console errors too: a failed request or something the page's content security policy refused.
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await keyed?.close();
    await d?.close();
  });

  it('Overview: counts, an events chart drawn with data, model versions, health and latency', async () => {
    await page.goto(`${d.server.url}/#/overview`);
    await expect.poll(() => page.locator('[data-count="users"]').textContent()).toBe('943');
    expect(await page.locator('[data-count="events"]').textContent()).toBe('100,000');
    const chart = page.locator('.chart [data-points]').first();
    await chart.locator('svg').waitFor();
    await page.waitForSelector('.chart [data-drawn="true"]');
    // ml-100k spans 1997-09-20..1998-04-22: 215 days, one bar per day with events drawn as SVG paths.
    expect(Number(await chart.getAttribute('data-points'))).toBe(215);
    expect(await chart.locator('svg path').count()).toBeGreaterThan(150);
    await expect.poll(() => page.locator('table', { hasText: 'Model versions' }).textContent()).toContain('itemknn');
    await expect.poll(() => page.locator('.health').textContent()).toMatch(/sqlite · ok/);
    await page.locator('button', { hasText: 'Refresh' }).click();
    await expect.poll(() => page.locator('table', { hasText: 'Serving latency' }).textContent()).toContain('/v1/status');
    await screenshot(page, 'overview');
  });

  it("Users: a user's interests with labels and weights, drift, recommendations with reasons, the trace and history", async () => {
    await page.goto(`${d.server.url}/#/users/${USER}`);
    const interests = page.locator('table.interests tbody tr');
    await interests.first().waitFor();
    expect(await interests.count()).toBeGreaterThanOrEqual(2);
    const firstLabel = (await interests.first().locator('th').textContent()) ?? '';
    expect(firstLabel).toMatch(/\w+ · \w+/);
    expect(await page.locator('[data-drift]').textContent()).toMatch(/^\d\.\d\d: /);
    await page.locator('ol.item-list > li').first().waitFor();
    expect(await listedItems(page)).toHaveLength(10);
    const reasons = await page.locator('ol.item-list .reason').allTextContents();
    expect(reasons.length).toBeGreaterThanOrEqual(10);
    expect(reasons.some((r) => /Because you rated "/.test(r))).toBe(true);
    const stages = await page.locator('table.trace tbody th').allTextContents();
    expect(stages).toEqual(expect.arrayContaining(['merge', 'diversity', 'reasons']));
    await page.locator('ol.timeline time').first().waitFor();
    expect(await page.locator('ol.timeline time').count()).toBe(30);
    await screenshot(page, 'user');
  });

  it('moving the diversity slider re-runs the request and changes the list', async () => {
    await page.goto(`${d.server.url}/#/users/${USER}`);
    await page.locator('ol.item-list > li').first().waitFor();
    const before = await listedItems(page);
    const slider = page.getByLabel('Diversity', { exact: true });
    await slider.focus();
    await page.keyboard.press('End'); // diversity 1: only variety counts
    expect(await page.locator('output[for="care-diversity"]').textContent()).toBe('1.00');
    const after = await listChangedFrom(page, before);
    expect(after).toHaveLength(10);
    expect(after).not.toEqual(before);
    expect(await page.locator('table.moves').textContent()).toContain('diversity');
  });

  it('the scenario picker re-runs the request under the scenario (its filter applies)', async () => {
    await page.goto(`${d.server.url}/#/users/${USER}`);
    await page.locator('ol.item-list > li').first().waitFor();
    const before = await listedItems(page);
    await page.getByLabel('Scenario').selectOption('comedies');
    const after = await listChangedFrom(page, before);
    expect(after.length).toBeGreaterThan(0);
    // Every listed item is a comedy: read back from the engine, not from the page.
    for (const id of after) expect((await d.engine.getItem(id)).categories, id).toContain('Comedy');
  });

  it('muting an interest takes its items out of the list, and unmuting brings them back', async () => {
    await page.goto(`${d.server.url}/#/users/${USER}`);
    await page.locator('ol.item-list > li').first().waitFor();
    const before = await listedItems(page);
    const mute = page.locator('table.interests tbody tr').first().getByRole('button', { name: /^Mute / });
    await mute.click();
    await page.locator('table.interests tbody tr').first().getByRole('button', { name: /^Unmute /, pressed: true }).waitFor();
    const muted = await listChangedFrom(page, before);
    const gone = before.filter((id) => !muted.includes(id));
    expect(gone.length).toBeGreaterThan(0);
    await screenshot(page, 'user-muted');
    await page.locator('table.interests tbody tr').first().getByRole('button', { name: /^Unmute / }).click();
    expect(await listChangedFrom(page, muted)).toEqual(before);
  });

  it('Items: detail, exposure over time, similar items by collaborative signal and by text side by side', async () => {
    // The path form of a page address opens the same page, as its hash.
    await page.goto(`${d.server.url}/items/${ITEM}`);
    await expect.poll(() => page.evaluate('location.pathname + location.hash')).toBe(`/#/items/${ITEM}`);
    await expect.poll(() => page.locator('h2#item-title').textContent()).toBe('E.T. the Extra-Terrestrial (1982)');
    await page.waitForSelector('.chart [data-drawn="true"]');
    expect(Number(await page.locator('.chart [data-points]').getAttribute('data-points'))).toBeGreaterThan(100);
    for (const by of ['collaborative', 'text']) {
      const list = page.locator(`[data-similar="${by}"] ol.item-list > li`);
      await list.first().waitFor();
      expect(await list.count(), by).toBe(10);
    }
    const collaborative = await page.locator('[data-similar="collaborative"] .reason').first().textContent();
    const text = await page.locator('[data-similar="text"] .reason').first().textContent();
    expect(collaborative).toMatch(/similar-to/);
    expect(text).toMatch(/similar-content/);
    await screenshot(page, 'item');
  });

  it('Evaluation: the saved report as a table and its HTML report embedded', async () => {
    await page.goto(`${d.server.url}/#/evaluation`);
    await expect.poll(() => page.locator('table', { hasText: 'Saved reports' }).textContent()).toContain('ml100k-popular');
    await expect.poll(() => page.locator('table', { hasText: 'Test metrics' }).textContent()).toMatch(/popular.*0\.\d{4}/s);
    const frame = page.frameLocator('iframe.report');
    await expect.poll(() => frame.locator('body').textContent()).toMatch(/ml-100k/);
    await screenshot(page, 'evaluation');
  });

  it('Try it: a free-text query answered for a chosen user', async () => {
    await page.goto(`${d.server.url}/#/try`);
    await page.getByLabel('User id (optional)').fill(USER);
    await page.getByLabel('What are you looking for?').fill('space adventure');
    await page.getByRole('button', { name: 'Recommend' }).click();
    await page.locator('ol.item-list > li').first().waitFor();
    expect(await page.locator('ol.item-list > li').count()).toBeGreaterThan(0);
    expect(await page.locator('h2#try-results').textContent()).toBe(`Results for user ${USER}`);
    expect((await page.locator('ol.item-list .reason').allTextContents()).join('\n')).toMatch(/space adventure/);
    await screenshot(page, 'try-it');
  });

  it('API: links to the Swagger UI, which is served', async () => {
    await page.goto(`${d.server.url}/#/api`);
    const href = await page.getByRole('link', { name: /Swagger UI/ }).getAttribute('href');
    expect(href).toBe('/docs');
    expect((await fetch(`${d.server.url}${href}`)).status).toBe(200);
  });

  it('asks for the API key once, keeps it in sessionStorage, and asks again after a 401', async () => {
    const keyedPage = await browser.newPage();
    try {
      await keyedPage.goto(`${keyed.url}/#/overview`);
      const input = keyedPage.getByLabel('API key', { exact: true });
      await input.waitFor();
      await input.fill(KEY);
      await keyedPage.getByRole('button', { name: 'Use this key' }).click();
      await expect.poll(() => keyedPage.locator('[data-count="users"]').textContent()).toBe('943');
      expect(await keyedPage.evaluate("sessionStorage.getItem('kindred.apiKey')")).toBe(KEY);
      // Another page of the same tab session needs no key.
      await keyedPage.goto(`${keyed.url}/#/users/${USER}`);
      await keyedPage.locator('table.interests tbody tr').first().waitFor();
      // A wrong key: the server answers 401 and the key is asked for again.
      await keyedPage.evaluate("sessionStorage.setItem('kindred.apiKey', 'wrong')");
      await keyedPage.goto(`${keyed.url}/#/overview`);
      await keyedPage.getByLabel('API key', { exact: true }).waitFor();
      expect(await keyedPage.evaluate("sessionStorage.getItem('kindred.apiKey')")).toBeNull();
    } finally {
      await keyedPage.close();
    }
  });

  it('keyboard and labels: every control has a label, one h1 per page, Tab reaches the diversity slider', async () => {
    await page.goto(`${d.server.url}/#/users/${USER}`);
    await page.locator('ol.item-list > li').first().waitFor();
    const unlabelled = await page.evaluate("[...document.querySelectorAll('input, select, textarea')].filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label')).map((el) => el.outerHTML)");
    expect(unlabelled).toEqual([]);
    expect(await page.locator('h1').count()).toBe(1);
    // Every clickable thing is a link or a button (reachable and operable by keyboard).
    expect(await page.locator('[onclick], div[role="button"]').count()).toBe(0);
    await page.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 400 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate("document.activeElement?.id")) === 'care-diversity';
    }
    expect(reached).toBe(true);
  });
});

/** Runs `fn` with environment variables set, restoring them after. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(old)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
